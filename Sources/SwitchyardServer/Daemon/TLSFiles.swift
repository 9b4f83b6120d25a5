import Foundation
import HummingbirdTLS
import NIOSSL

/// A certificate chain and its private key, PEM files, for serving the API over TLS.
public struct TLSFiles: Sendable, Hashable {
    public var certificate: String
    public var key: String

    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }

    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The server's TLS configuration (TLS 1.2 and later); fails with which file could not be read and why.
    public func serverConfiguration() throws(Unreadable) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw Unreadable(description: "--tls-cert \(certificate): not a readable PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw Unreadable(description: "--tls-cert \(certificate): no certificate in the file") }
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw Unreadable(description: "--tls-key \(key): not a readable PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        // The key must belong to the certificate: checked now, with both files named, not at the first handshake.
        do { _ = try NIOSSLContext(configuration: configuration) } catch {
            throw Unreadable(description: "--tls-key \(key) does not match the certificate in --tls-cert \(certificate) (\(error)); "
                + "give the private key the certificate was issued for")
        }
        return configuration
    }
}
