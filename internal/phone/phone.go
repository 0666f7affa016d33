package phone
