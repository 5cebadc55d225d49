extension MySQLDecimal {
    /// The value times 10^`scale` as an integer (for example cents with `scale: 2`), when it is
    /// exact and fits in Int64; nil otherwise. Money columns read this way lose nothing.
    @inlinable public func scaledInteger(scale target: Int) -> Int64? {
        guard limb1 | limb2 | limb3 == 0, target >= 0, target <= 18 else { return nil }
        var magnitude = limb0
        var scale = Int(storedScale)
        while scale < target {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            magnitude = product
            scale += 1
        }
        while scale > target {
            guard magnitude % 10 == 0 else { return nil }
            magnitude /= 10
            scale -= 1
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return isNegative ? -Int64(magnitude) : Int64(magnitude)
    }
}
