import Foundation

/// A throwaway CA and a server certificate it signed (SAN DNS:localhost, IP:127.0.0.1),
/// made with the `openssl` command-line tool in a temporary directory, once per test run.
struct TestCertificates: Sendable {
    let directory: String
    var caFile: String { directory + "/ca.pem" }
    var serverCertificateFile: String { directory + "/server.pem" }
    var serverKeyFile: String { directory + "/server.key" }

    /// Built on first use; the error (for example: no `openssl` binary) is reported by each test.
    static let shared: Result<TestCertificates, CertificateSetupError> = Result { () throws(CertificateSetupError) in try make() }

    struct CertificateSetupError: Error, CustomStringConvertible {
        let description: String
    }

    private static func make() throws(CertificateSetupError) -> TestCertificates {
        let directory = NSTemporaryDirectory() + "sockets-tests-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try """
            subjectAltName = DNS:localhost, IP:127.0.0.1
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth
            """.write(toFile: directory + "/server.ext", atomically: true, encoding: .utf8)
        } catch {
            throw CertificateSetupError(description: "cannot prepare \(directory): \(error)")
        }
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(["req", "-x509"] + ecKey + [
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Sockets Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], in: directory)
        try run(["req"] + ecKey + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], in: directory)
        try run([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        ], in: directory)
        return TestCertificates(directory: directory)
    }

    private static func run(_ arguments: [String], in directory: String) throws(CertificateSetupError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw CertificateSetupError(description: "cannot run openssl: \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CertificateSetupError(description: "openssl \(arguments.joined(separator: " ")) failed: \(text)")
        }
    }
}
