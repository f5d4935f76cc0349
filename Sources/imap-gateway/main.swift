print("imap-gateway")
