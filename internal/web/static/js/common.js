// Behaviour shared by every signed-in page: signing out.

import { api } from "./api.js";

const signOut = document.getElementById("sign-out");
if (signOut) {
  signOut.addEventListener("click", async () => {
    signOut.disabled = true;
    try {
      await api("POST", "/api/v1/auth/logout");
    } catch {
      // Signed out already, or the server is away: the sign-in page tells.
    }
    location.assign("/login");
  });
}
