#ifndef SWITCHYARD_CCRYPTO_H
#define SWITCHYARD_CCRYPTO_H
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#endif
