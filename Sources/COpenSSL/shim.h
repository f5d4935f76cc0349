#ifndef C_OPENSSL_SHIM_H
#define C_OPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <openssl/sha.h>
#include <openssl/evp.h>

// Swift cannot call OpenSSL's function-like macros; these wrappers expose them.
static inline long c_openssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline long c_openssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long c_openssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
static inline int c_openssl_tls1_2_version(void) { return TLS1_2_VERSION; }
static inline long c_openssl_mode_partial_write(void) {
    return SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
}

static inline uint64_t c_openssl_op_ignore_unexpected_eof(void) { return SSL_OP_IGNORE_UNEXPECTED_EOF; }
static inline long c_openssl_mode_release_buffers(void) { return SSL_MODE_RELEASE_BUFFERS; }
static inline unsigned int c_openssl_check_flag_no_partial_wildcards(void) {
    return X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
}

// Not OpenSSL, but this is the one C header the Sockets module owns: glibc declares accept4
// only under _GNU_SOURCE, which Swift's Glibc module does not define. accept4 makes an accepted
// socket non-blocking and close-on-exec in the same call (two fcntl calls fewer per connection).
#if defined(__linux__) && !defined(_GNU_SOURCE)
#include <sys/socket.h>
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
#endif

#endif
