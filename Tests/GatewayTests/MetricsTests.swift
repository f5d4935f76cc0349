import Foundation
@testable import Gateway
import HTTPServer
import IMAPClient
import Testing
import TestSupport

private enum ExpositionError: Error { case badValue(String) }

/// The samples of a Prometheus text exposition, keyed by `name{labels}` exactly as printed.
struct Exposition {
    let text: String
    private(set) var samples: [String: Double] = [:]
    private(set) var helped: Set<String> = []
    private(set) var typed: [String: String] = [:]

    init(_ text: String) throws {
        self.text = text
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") {
                helped.insert(String(line.split(separator: " ")[2]))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                typed[String(parts[2])] = String(parts[3])
            } else {
                let space = try #require(line.lastIndex(of: " "), "sample line without value: \(line)")
                guard let value = Double(String(line[line.index(after: space)...])) else {
                    throw ExpositionError.badValue(String(line))
                }
                samples[String(line[..<space])] = value
            }
        }
    }

    subscript(_ series: String) -> Double? { samples[series] }

    /// The metric family a sample belongs to (`x_bucket` belongs to histogram `x`).
    func family(of series: String) -> String {
        let name = String(series.prefix { $0 != "{" })
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if typed[base] == "histogram" { return base }
        }
        return name
    }
}

@Suite("Metrics")
struct MetricsTests {
    @Test func countsRequestsCommandsAndFailedLogins() async throws {
        try await withHarness { harness in
            let folder = uniqueName("MetricsPrivateFolder")
            try harness.dovecot.deliver(user: "alice", folder: folder, messages: [
                TestMessages.simple(subject: "one"), TestMessages.simple(subject: "two"),
            ])
            let uids = try await folderUIDs(harness, folder)
            #expect(uids.count == 2)

            for _ in 0..<3 { #expect(try await harness.request("/health", user: nil).status == 200) }
            #expect(try await harness.request(Paths.messages(folder)).status == 200)
            for uid in uids {
                let patched = try await harness.request(Paths.message(folder, uid: uid), method: "PATCH",
                                                        headers: ["Content-Type": "application/json"],
                                                        body: jsonBody(["flags": ["add": ["\\Flagged"]]]))
                #expect(patched.status == 200, "\(patched.text)")
            }
            #expect(try await harness.request(Paths.message(folder, uid: 999_999)).status == 404)
            let intruder = DovecotUser(name: "bob", password: "wrong-secret-for-metrics")
            // 401s go through RawHTTP: URLSession on Linux waits forever on a challenge.
            #expect(try await RawHTTP.request(port: harness.port, "/folders", user: intruder).status == 401)
            #expect(try await RawHTTP.request(port: harness.port, "/folders").status == 401)

            let scrape = try await harness.request("/metrics", user: nil)
            #expect(scrape.status == 200)
            #expect(scrape.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            let metrics = try Exposition(scrape.text)

            #expect(metrics[#"http_requests_total{route="/health",method="GET",status="200"}"#] == 3)
            #expect(metrics[#"http_requests_total{route="/folders/{folder}/messages",method="GET",status="200"}"#] == 1)
            #expect(metrics[#"http_requests_total{route="/folders/{folder}/messages/{uid}",method="PATCH",status="200"}"#] == 2)
            #expect(metrics[#"http_requests_total{route="/folders/{folder}/messages/{uid}",method="GET",status="404"}"#] == 1)
            #expect(metrics[#"http_requests_total{route="/folders",method="GET",status="401"}"#] == 2)

            #expect(metrics[#"http_request_duration_seconds_count{route="/health"}"#] == 3)
            #expect(metrics[#"http_request_duration_seconds_bucket{route="/health",le="+Inf"}"#] == 3)
            let buckets = LatencyHistogram.boundLabels.compactMap { metrics[#"http_request_duration_seconds_bucket{route="/health",le="\#($0)"}"#] }
            #expect(buckets.count == LatencyHistogram.bounds.count)
            #expect(buckets == buckets.sorted(), "cumulative buckets never decrease")
            #expect((metrics[#"http_request_duration_seconds_sum{route="/health"}"#] ?? -1) >= 0)
            // Each /health response is at least its 15-byte body plus a status line.
            #expect((metrics[#"http_response_bytes_total{route="/health"}"#] ?? 0) > 3 * 15)

            #expect(metrics[#"imap_commands_total{command="UID STORE",result="ok"}"#] == 2)
            #expect((metrics[#"imap_commands_total{command="SELECT",result="ok"}"#] ?? 0) >= 1)
            #expect((metrics[#"imap_commands_total{command="UID FETCH",result="ok"}"#] ?? 0) >= 1)
            #expect((metrics[#"imap_commands_total{command="AUTHENTICATE",result="ok"}"#] ?? 0) >= 1)
            #expect(metrics[#"imap_commands_total{command="AUTHENTICATE",result="no"}"#] == 1)
            #expect(metrics["auth_failures_total"] == 2, "the refused IMAP login and the request without credentials")

            // Sessions stay pooled after the requests; none is lent out while /metrics answers.
            #expect((metrics["imap_sessions_open"] ?? 0) >= 1)
            #expect(metrics["imap_sessions_busy"] == 0)
            #expect(metrics["imap_sessions_waiting"] == 0)

            for series in metrics.samples.keys {
                let family = metrics.family(of: series)
                #expect(metrics.helped.contains(family) && metrics.typed[family] != nil, "\(series) has HELP and TYPE")
            }
            for secret in [folder, "alice", "bob", DovecotUser.alice.password, "wrong-secret-for-metrics"] {
                #expect(!scrape.text.contains(secret), "the exposition leaks \(secret)")
            }
            // Route labels are patterns: no UID (the 404 asked for 999999) or other path value in them.
            for series in metrics.samples.keys {
                guard let start = series.range(of: #"route=""#) else { continue }
                let route = series[start.upperBound...].prefix { $0 != "\"" }
                #expect(!route.contains { $0.isNumber }, "\(series) carries a raw path")
            }
        }
    }

    @Test func histogramBucketsAndLabels() throws {
        let metrics = GatewayMetrics()
        metrics.requestCompleted(method: .get, route: "/x", status: 200, bytesSent: 10, duration: .milliseconds(5))
        metrics.requestCompleted(method: .get, route: "/x", status: 200, bytesSent: 10, duration: .milliseconds(7))
        metrics.requestCompleted(method: .get, route: "/x", status: 500, bytesSent: 5, duration: .seconds(11))
        metrics.requestCompleted(method: HTTPMethod(rawValue: "BREW"), route: "unmatched", status: 501, bytesSent: 1, duration: .zero)
        metrics.imapCommand("UID STORE", .bad)
        metrics.imapCommand("APPEND", .error)
        let exposition = try Exposition(metrics.exposition(pool: PoolCounts(open: 4, busy: 2, waiting: 1), eventStreams: 3))

        // 5 ms is inside the 0.005 bucket (le is inclusive); 11 s only in +Inf.
        #expect(exposition[#"http_request_duration_seconds_bucket{route="/x",le="0.005"}"#] == 1)
        #expect(exposition[#"http_request_duration_seconds_bucket{route="/x",le="0.01"}"#] == 2)
        #expect(exposition[#"http_request_duration_seconds_bucket{route="/x",le="10"}"#] == 2)
        #expect(exposition[#"http_request_duration_seconds_bucket{route="/x",le="+Inf"}"#] == 3)
        #expect(abs((exposition[#"http_request_duration_seconds_sum{route="/x"}"#] ?? 0) - 11.012) < 1e-9)
        #expect(exposition[#"http_response_bytes_total{route="/x"}"#] == 25)
        #expect(exposition[#"http_requests_total{route="/x",method="GET",status="500"}"#] == 1)
        // An unknown method token becomes "other", so clients cannot mint series.
        #expect(exposition[#"http_requests_total{route="unmatched",method="other",status="501"}"#] == 1)
        #expect(exposition[#"imap_commands_total{command="UID STORE",result="bad"}"#] == 1)
        #expect(exposition[#"imap_commands_total{command="APPEND",result="error"}"#] == 1)
        #expect(exposition["imap_sessions_open"] == 4 && exposition["imap_sessions_busy"] == 2 && exposition["imap_sessions_waiting"] == 1)
        #expect(exposition["auth_failures_total"] == 0)
        #expect(exposition["event_streams_open"] == 3 && exposition.typed["event_streams_open"] == "gauge")
        #expect(exposition.typed["http_request_duration_seconds"] == "histogram")
        #expect(exposition.typed["imap_sessions_open"] == "gauge")
        #expect(exposition.text.hasSuffix("\n"))
    }

    @Test func labelValuesAreEscaped() {
        #expect(PrometheusText.escape(#"a"b\c"# + "\n") == #"a\"b\\c\n"#)
        #expect(PrometheusText.escape("/folders/{folder}") == "/folders/{folder}")
    }
}
