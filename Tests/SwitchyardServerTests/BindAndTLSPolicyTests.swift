import Foundation
import Testing
@testable import SwitchyardServer

/// Where yardd may listen without TLS, and TLS files that do not belong together.
struct BindAndTLSPolicyTests {
    @Test(arguments: ["localhost", "127.0.0.1", "127.1.2.3", "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1"])
    func loopback(host: String) { #expect(BindPolicy.isLoopback(host)) }

    @Test(arguments: ["127.example.com", "1270.0.0.1", "127.0.0.1.nip.io", "127", "0.0.0.0", "10.0.0.1", "::", "::2", "example.com", ""])
    func notLoopback(host: String) { #expect(!BindPolicy.isLoopback(host)) }

    @Test func aKeyFromAnotherCertificateIsRefusedNamingBothFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let one = folder.appendingPathComponent("one"), two = folder.appendingPathComponent("two")
        try FileManager.default.createDirectory(at: one, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: two, withIntermediateDirectories: true)
        let (certificate, _) = try YarddOperabilityProcessTests.selfSignedCertificate(in: one)
        let (_, otherKey) = try YarddOperabilityProcessTests.selfSignedCertificate(in: two)
        let files = TLSFiles(certificate: certificate.path, key: otherKey.path)
        do {
            _ = try files.serverConfiguration()
            Issue.record("a mismatched key was accepted")
        } catch {
            #expect(error.description.contains("--tls-key \(otherKey.path) does not match the certificate in --tls-cert \(certificate.path)"), "\(error)")
        }
        let (_, key) = (certificate, one.appendingPathComponent("key.pem"))
        _ = try TLSFiles(certificate: certificate.path, key: key.path).serverConfiguration()
    }
}
