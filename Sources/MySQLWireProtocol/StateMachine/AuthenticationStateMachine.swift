/// The handshake after the greeting: the first response, at most one plugin switch, plugin
/// exchanges (AuthMoreData) and the final OK or ERR.
struct AuthenticationStateMachine {
    enum Step {
        /// Send this payload as the next packet of the exchange.
        case send([UInt8])
        /// Nothing to send; another server packet follows.
        case wait
        case authenticated(OKPacket)
        case failed(MySQLError)
    }

    enum Phase {
        case awaitingResult
        /// caching_sha2_password fast auth succeeded; an OK packet follows.
        case awaitingOKAfterFastAuth
        /// We asked for the server's RSA public key (caching_sha2 `02`, sha256 `01`).
        case awaitingPublicKey
    }

    let settings: ConnectionSettings
    let capabilities: MySQLCapabilities
    private(set) var plugin: AuthPluginKind?
    private(set) var pluginName: String
    private(set) var nonce: [UInt8]
    private(set) var phase = Phase.awaitingResult
    private(set) var switched = false

    init(settings: ConnectionSettings, capabilities: MySQLCapabilities, pluginName: String, nonce: [UInt8]) {
        self.settings = settings
        self.capabilities = capabilities
        self.pluginName = pluginName
        self.plugin = AuthPluginKind(name: pluginName)
        self.nonce = nonce
    }

    /// The plugin named in the handshake response and its first auth data. An unknown default
    /// plugin is answered as mysql_native_password; the server then switches us.
    mutating func initialResponse() -> (plugin: String, data: [UInt8]) {
        switch plugin {
        case .nativePassword?, nil:
            if plugin == nil {
                plugin = .nativePassword
                pluginName = AuthPluginKind.nativePassword.name
            }
            return (pluginName, AuthScramble.nativePassword(password: settings.password, nonce: nonce))
        case .cachingSHA2Password?:
            return (pluginName, AuthScramble.cachingSHA2(password: settings.password, nonce: nonce))
        case .sha256Password?:
            // Over a secure transport the password goes as is; elsewhere encrypted with RSA.
            if settings.password.isEmpty { return (pluginName, [0]) }
            if settings.transportIsSecure { return (pluginName, Array(settings.password.utf8) + [0]) }
            if settings.serverPublicKeyPEM != nil || settings.allowPublicKeyRetrieval {
                switch sha256PasswordResponse() {
                case .send(let data): return (pluginName, data)
                default: break  // an unusable pinned key: answered natively, fails clearly on the switch
                }
            }
            // No way to send it: answer natively; a switch to sha256_password then fails clearly.
            plugin = .nativePassword
            pluginName = AuthPluginKind.nativePassword.name
            return (pluginName, AuthScramble.nativePassword(password: settings.password, nonce: nonce))
        case .clearPassword?, .clientEd25519?:
            // Never volunteer a clear password, and client_ed25519 signs the 32-byte scramble
            // of a switch request (the greeting's is 20 bytes): answer natively, let the server switch.
            plugin = .nativePassword
            pluginName = AuthPluginKind.nativePassword.name
            return (pluginName, AuthScramble.nativePassword(password: settings.password, nonce: nonce))
        }
    }

    mutating func receive(_ payload: ArraySlice<UInt8>) -> Step {
        guard let header = payload.first else {
            return .failed(.violation("empty packet during authentication"))
        }
        switch (phase, header) {
        case (_, 0x00):
            do throws(MySQLError) {
                return .authenticated(try OKPacket.parse(payload, capabilities: capabilities))
            } catch {
                return .failed(error)
            }
        case (_, 0xFF):
            return .failed(ErrorPacket.parse(payload, capabilities: capabilities).error)
        case (.awaitingResult, 0xFE):
            return authSwitch(payload)
        case (.awaitingResult, 0x01):
            return moreData(payload.dropFirst())
        case (.awaitingPublicKey, 0x01):
            return publicKeyReceived(payload.dropFirst())
        default:
            return .failed(
                .violation("unexpected packet 0x\(String(header, radix: 16)) during \(pluginName) authentication"))
        }
    }

    private mutating func authSwitch(_ payload: ArraySlice<UInt8>) -> Step {
        guard !switched else {
            return .failed(
                MySQLError(
                    .authentication,
                    "the server switched authentication plugins a second time; a handshake allows one switch"))
        }
        switched = true
        let request: AuthSwitchRequest
        do throws(MySQLError) {
            request = try AuthSwitchRequest.parse(payload)
        } catch {
            return .failed(error)
        }
        guard let kind = AuthPluginKind(name: request.pluginName) else {
            return .failed(
                MySQLError(
                    .authentication,
                    "the server asked for authentication plugin '\(request.pluginName)', which MySQLWire does not support"
                ))
        }
        pluginName = request.pluginName
        plugin = kind
        nonce = request.pluginData
        switch kind {
        case .clientEd25519:
            // The scramble is 32 bytes and may end in 0x00; only a 33rd byte is a terminator.
            var scramble = request.rawPluginData
            if scramble.count == 33 && scramble.last == 0 { scramble.removeLast() }
            guard scramble.count == 32 else {
                return .failed(.violation("client_ed25519: the scramble has \(scramble.count) bytes, expected 32"))
            }
            return .send(AuthScramble.clientEd25519(password: settings.password, scramble: scramble))
        case .nativePassword:
            return .send(AuthScramble.nativePassword(password: settings.password, nonce: nonce))
        case .cachingSHA2Password:
            return .send(AuthScramble.cachingSHA2(password: settings.password, nonce: nonce))
        case .sha256Password:
            if settings.password.isEmpty { return .send([0]) }
            if settings.transportIsSecure { return .send(Array(settings.password.utf8) + [0]) }
            return sha256PasswordResponse()
        case .clearPassword:
            guard settings.allowClearPassword else {
                return .failed(
                    MySQLError(
                        .authentication,
                        "the server asked for mysql_clear_password, which sends the password unencrypted; it is refused unless MySQLConfiguration.allowClearTextPassword is set"
                    ))
            }
            guard settings.transportIsSecure || settings.allowInsecureClearPassword else {
                return .failed(
                    MySQLError(
                        .authentication,
                        "the server asked for mysql_clear_password on an unencrypted connection; use TLS or a unix socket (or, on a trusted network only, set allowClearTextPasswordWithoutTLS)"
                    ))
            }
            return .send(Array(settings.password.utf8) + [0])
        }
    }

    private mutating func moreData(_ data: ArraySlice<UInt8>) -> Step {
        switch plugin {
        case .cachingSHA2Password?:
            switch data.first {
            case 0x03?:
                phase = .awaitingOKAfterFastAuth
                return .wait
            case 0x04?:
                // Full authentication: the password itself, in clear inside TLS or a unix
                // socket, RSA-encrypted elsewhere.
                if settings.transportIsSecure {
                    return .send(Array(settings.password.utf8) + [0])
                }
                if let key = settings.serverPublicKeyPEM { return encrypted(with: key) }
                if settings.allowPublicKeyRetrieval {
                    phase = .awaitingPublicKey
                    return .send([0x02])
                }
                return .failed(rsaUnavailable())
            default:
                return .failed(.violation("caching_sha2_password: unexpected AuthMoreData \(Array(data.prefix(2)))"))
            }
        default:
            return .failed(.violation("unexpected AuthMoreData for plugin \(pluginName)"))
        }
    }

    /// sha256_password over an unencrypted connection: the encrypted password with a pinned
    /// key, else a request for the key (`01`) when allowed, else an error naming the options.
    private mutating func sha256PasswordResponse() -> Step {
        if let key = settings.serverPublicKeyPEM { return encrypted(with: key) }
        if settings.allowPublicKeyRetrieval {
            phase = .awaitingPublicKey
            return .send([0x01])
        }
        return .failed(rsaUnavailable())
    }

    /// The server's answer to our key request: AuthMoreData with its PEM public key.
    private mutating func publicKeyReceived(_ pem: ArraySlice<UInt8>) -> Step {
        phase = .awaitingResult
        guard !pem.isEmpty else {
            return .failed(.violation("\(pluginName): the server sent an empty public key"))
        }
        return encrypted(with: Array(pem))
    }

    private func encrypted(with key: [UInt8]) -> Step {
        do throws(MySQLError) {
            return .send(
                try RSAPasswordEncryption.encrypt(password: settings.password, scramble: nonce, publicKeyPEM: key))
        } catch {
            return .failed(error)
        }
    }

    private func rsaUnavailable() -> MySQLError {
        MySQLError(
            .authentication,
            "\(pluginName) needs the password sent securely on this unencrypted connection: connect over TLS or a unix socket, pin the server's RSA public key (MySQLConfiguration.serverPublicKey, --server-public-key-path), or allow fetching it (MySQLConfiguration.allowPublicKeyRetrieval, --get-server-public-key)"
        )
    }
}
