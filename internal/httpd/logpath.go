package httpd

import "strings"

// secretPaths are the page paths whose last segment is a link's secret.
var secretPaths = []string{"/invite/", "/set-password/"}

// loggedPath is path as the request log may show it: a link's secret is
// replaced, so that no log file holds a usable link.
func LoggedPath(path string) string {
	for _, p := range secretPaths {
		if rest, ok := strings.CutPrefix(path, p); ok && rest != "" {
			return p + "[redacted]"
		}
	}
	return path
}
