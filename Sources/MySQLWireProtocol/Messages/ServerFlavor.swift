/// What differs between MySQL and MariaDB, decided once from the greeting. The codec asks
/// this value instead of testing version strings itself.
public struct ServerFlavor: Sendable, Hashable {
    public enum Vendor: Sendable, Hashable { case mysql, mariadb }

    public var vendor: Vendor
    /// The version as the server reports it, without MariaDB's `5.5.5-` replication prefix.
    public var version: String
    /// Major, minor, patch parsed from `version` (zeros where absent).
    public var versionNumbers: (major: Int, minor: Int, patch: Int)
    /// Whether the 4 reserved bytes of the greeting and response carry MariaDB capabilities.
    public var usesExtendedCapabilities: Bool

    public static func == (a: ServerFlavor, b: ServerFlavor) -> Bool {
        a.vendor == b.vendor && a.version == b.version && a.usesExtendedCapabilities == b.usesExtendedCapabilities
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(version)
        hasher.combine(usesExtendedCapabilities)
    }

    /// MariaDB says so by `MariaDB` in the version and by clearing CLIENT_MYSQL (bit 0).
    public init(versionString: String, capabilities: MySQLCapabilities) {
        let isMariaDB = versionString.contains("MariaDB") || !capabilities.contains(.longPassword)
        vendor = isMariaDB ? .mariadb : .mysql
        usesExtendedCapabilities = !capabilities.contains(.longPassword)
        let prefix = "5.5.5-"
        version =
            isMariaDB && versionString.hasPrefix(prefix) ? String(versionString.dropFirst(prefix.count)) : versionString
        var numbers = [0, 0, 0]
        var slot = 0
        for ch in version.utf8 {
            if ch >= 48 && ch <= 57 {
                numbers[slot] = numbers[slot] &* 10 &+ Int(ch - 48)
            } else if ch == 46 && slot < 2 {
                slot += 1
            } else {
                break
            }
        }
        versionNumbers = (numbers[0], numbers[1], numbers[2])
    }
}
