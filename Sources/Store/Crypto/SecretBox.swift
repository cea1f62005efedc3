import CCrypto

/// AES-256-GCM sealing of secrets at rest.
///
/// Layout: `version (1) | key id (8) | nonce (12) | ciphertext | tag (16)`. The additional
/// authenticated data is the 9-byte header plus a caller-supplied context (e.g. the credential
/// id), so a ciphertext cannot be moved to another row or re-labelled with another key id.
enum SecretBox {
    static let version: UInt8 = 1
    static let headerLength = 1 + 8
    static let nonceLength = 12
    static let tagLength = 16

    /// Seals `plaintext` under the keyring's current key with a fresh random nonce.
    static func seal(_ plaintext: [UInt8], context: String, keyring: Keyring) throws(StoreError) -> [UInt8] {
        let key = keyring.current
        let header = [version] + key.id
        let nonce = RandomKey.bytes(nonceLength)
        let aad = header + Array(context.utf8)
        guard let ctx = EVP_CIPHER_CTX_new() else { throw .storage("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: tagLength)
        var length: Int32 = 0
        var total = 0
        var ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1
            && ccr_gcm_set_ivlen(ctx, Int32(nonceLength)) == 1
            && EVP_EncryptInit_ex(ctx, nil, nil, key.bytes, nonce) == 1
            && EVP_EncryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1
        if ok, !plaintext.isEmpty {
            ok = EVP_EncryptUpdate(ctx, &out, &length, plaintext, Int32(plaintext.count)) == 1
            total = Int(length)
        }
        if ok {
            ok = out.withUnsafeMutableBufferPointer { buffer in
                EVP_EncryptFinal_ex(ctx, buffer.baseAddress! + total, &length) == 1
            }
            total += Int(length)
        }
        ok = ok && ccr_gcm_get_tag(ctx, Int32(tagLength), &tag) == 1
        guard ok else { throw .storage("AES-256-GCM encryption failed") }
        return header + nonce + out.prefix(total) + tag
    }

    /// Opens a sealed value, checking the tag; fails on unknown key ids and any tampering.
    static func open(_ sealed: [UInt8], context: String, keyring: Keyring) throws(StoreError) -> [UInt8] {
        guard sealed.count >= headerLength + nonceLength + tagLength, sealed[0] == version else {
            throw .decryption("unrecognised ciphertext format")
        }
        let keyID = Array(sealed[1..<headerLength])
        guard let key = keyring.key(id: keyID) else {
            throw .decryption("sealed with master key \(Digest.hex(keyID)), which is not configured "
                + "(current key is \(keyring.current.idHex)); set the right SWITCHYARD_MASTER_KEY")
        }
        let aad = Array(sealed[0..<headerLength]) + Array(context.utf8)
        let nonce = Array(sealed[headerLength..<(headerLength + nonceLength)])
        let body = Array(sealed[(headerLength + nonceLength)..<(sealed.count - tagLength)])
        var tag = Array(sealed.suffix(tagLength))
        guard let ctx = EVP_CIPHER_CTX_new() else { throw .storage("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: body.count + 16)
        var length: Int32 = 0
        var total = 0
        var ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1
            && ccr_gcm_set_ivlen(ctx, Int32(nonceLength)) == 1
            && EVP_DecryptInit_ex(ctx, nil, nil, key.bytes, nonce) == 1
            && EVP_DecryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1
        if ok, !body.isEmpty {
            ok = EVP_DecryptUpdate(ctx, &out, &length, body, Int32(body.count)) == 1
            total = Int(length)
        }
        ok = ok && ccr_gcm_set_tag(ctx, Int32(tagLength), &tag) == 1
        if ok {
            ok = out.withUnsafeMutableBufferPointer { buffer in
                EVP_DecryptFinal_ex(ctx, buffer.baseAddress! + total, &length) == 1
            }
            total += Int(length)
        }
        guard ok else {
            throw .decryption("authentication tag mismatch: the ciphertext was altered or the key is wrong")
        }
        return Array(out.prefix(total))
    }

    /// The key id a sealed value was produced with.
    static func keyID(of sealed: [UInt8]) -> [UInt8]? {
        guard sealed.count >= headerLength else { return nil }
        return Array(sealed[1..<headerLength])
    }
}
