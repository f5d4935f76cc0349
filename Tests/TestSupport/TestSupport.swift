// Test support: starting Dovecot.
