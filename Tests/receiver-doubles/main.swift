// Filled in by the receiver doubles: loopback stand-ins for the vendors' servers.
print("receiver-doubles: not yet built")
