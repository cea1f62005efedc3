#ifndef SWITCHYARD_CCRYPTO_H
#define SWITCHYARD_CCRYPTO_H
// SHA256_Init/Update/Final are deprecated in OpenSSL 3 but are the only path that skips the
// provider lookup (EVP fetch, read locks, a context allocation) on every call.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

// AES-GCM control calls: the EVP_CTRL_GCM_* constants are macro aliases; wrap them typed.
static inline int ccr_gcm_set_ivlen(EVP_CIPHER_CTX *ctx, int len) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, len, NULL);
}
static inline int ccr_gcm_get_tag(EVP_CIPHER_CTX *ctx, int len, unsigned char *tag) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, len, tag);
}
static inline int ccr_gcm_set_tag(EVP_CIPHER_CTX *ctx, int len, unsigned char *tag) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, len, tag);
}

// SHA-256 on a stack context: hashing a short key this way costs a fraction of SHA256() or
// EVP_Digest, which fetch the algorithm from the default provider each time.
static inline void ccr_sha256(const void *data, size_t length, unsigned char *out) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, length);
    SHA256_Final(out, &context);
    OPENSSL_cleanse(&context, sizeof context);
}
#endif
