/// A small deterministic generator for differential and mutation tests: a seed gives the same
/// cases on every machine and every run, so a failing case can be replayed. (A linear
/// congruential generator, upper bits only; quality is no concern here, repeatability is.)
public struct SeededRandom {
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 31 bits.
    public mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }

    /// A number in `0..<bound`.
    public mutating func next(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
