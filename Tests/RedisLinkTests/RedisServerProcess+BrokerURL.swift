import Foundation
import RedisLink
import TestSupport

extension RedisServerProcess {
    /// The server's db 0 (or `db`) as a `BrokerURL`, with the user and password given here (not the
    /// server's own password: a test of authentication chooses what the client sends).
    func brokerURL(db: Int = 0, username: String? = nil, password: String? = nil) -> BrokerURL {
        BrokerURL(endpoint: .tcp(host: "127.0.0.1", port: port), db: db, username: username, password: password)
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass; returns the last result.
func eventually(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// A connected command connection to a test server.
func connected(_ url: BrokerURL) throws -> RedisConnection {
    let connection = RedisConnection(url: url, timeouts: .init(connect: 1, io: 5))
    try connection.connect()
    return connection
}
