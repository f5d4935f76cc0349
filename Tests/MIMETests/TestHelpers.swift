@testable import MIME

/// The UTF-8 bytes of a string.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A message written with "\n" line ends, converted to the CRLF line ends of the wire.
func wire(_ text: String) -> [UInt8] {
    var output: [UInt8] = []
    for byte in text.utf8 {
        if byte == 0x0A { output.append(0x0D) }
        output.append(byte)
    }
    return output
}

/// Concatenates byte fragments (text and raw non-UTF-8 bytes) into one message.
func concat(_ pieces: [UInt8]...) -> [UInt8] { pieces.flatMap { $0 } }
