// Measures ResponseParser throughput on a large FETCH response (ENVELOPE, BODYSTRUCTURE, FLAGS).
//
// Usage: imap-parse-bench [--iterations N] [--messages N] [recorded-response-file]
// Without a file, a response of 10,000 messages is generated deterministically, written to a
// temporary file (its path is printed) and read back, so runs are comparable across machines.
import Foundation
import IMAP

struct Options {
    var iterations = 20
    var messages = 10_000
    var file: String?

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            switch argument {
            case "--iterations": iterations = rest.popFirst().flatMap { Int($0) } ?? iterations
            case "--messages": messages = rest.popFirst().flatMap { Int($0) } ?? messages
            default: file = argument
            }
        }
    }
}

let options = Options(CommandLine.arguments)
let input: [UInt8]
if let path = options.file {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    input = [UInt8](data)
} else {
    var generator = FetchResponseGenerator(seed: 0x1A2B_3C4D)
    let generated = generator.response(messages: options.messages)
    let path = NSTemporaryDirectory() + "imap-parse-bench-\(options.messages).txt"
    guard FileManager.default.createFile(atPath: path, contents: Data(generated)) else {
        FileHandle.standardError.write(Data("cannot write \(path)\n".utf8))
        exit(1)
    }
    print("generated \(options.messages) messages, \(generated.count) bytes: \(path)")
    input = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
}

/// Parses `input` in socket-sized reads; returns the number of responses.
func parseAll(_ input: [UInt8]) -> Int {
    var parser = ResponseParser()
    var responses = 0
    var offset = 0
    let readSize = 64 * 1024
    while offset < input.count {
        let upper = min(offset + readSize, input.count)
        parser.append(input[offset..<upper])
        offset = upper
        while true {
            do {
                guard let response = try parser.next() else { break }
                if case .untagged(.fetch(let fetch)) = response, fetch.bodyStructure == nil {
                    FileHandle.standardError.write(Data("unexpected: no body structure for \(fetch.sequenceNumber)\n".utf8))
                }
                responses += 1
            } catch {
                FileHandle.standardError.write(Data("parse error: \(error)\n".utf8))
                if error.isFatal { return responses }
            }
        }
    }
    return responses
}

/// CPU time of this thread: on a shared machine wall time measures the neighbours, CPU time
/// measures the parser on one core.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func wallSeconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

// One warm-up run, then the timed ones.
let count = parseAll(input)
print("responses per run: \(count)")
let clock = ContinuousClock()
var bestCPU = Double.infinity
var totalCPU = 0.0
var totalWall = Duration.zero
for _ in 0..<options.iterations {
    let cpuStart = threadCPUSeconds()
    let elapsed = clock.measure { _ = parseAll(input) }
    let cpu = threadCPUSeconds() - cpuStart
    totalWall += elapsed
    totalCPU += cpu
    bestCPU = min(bestCPU, cpu)
}
let megabytes = Double(input.count) / 1_000_000
let meanCPU = totalCPU / Double(options.iterations)
let meanWall = wallSeconds(totalWall) / Double(options.iterations)
print("input \(input.count) bytes (\(count - 1) FETCH responses), \(options.iterations) iterations")
print("CPU time per parse: mean \(Int(meanCPU * 1000)) ms -> \(Int(megabytes / meanCPU)) MB/s; best \(Int(bestCPU * 1000)) ms -> \(Int(megabytes / bestCPU)) MB/s")
print("wall time per parse: mean \(Int(meanWall * 1000)) ms -> \(Int(megabytes / meanWall)) MB/s (includes waiting for a shared CPU)")
