/// Counts of what the decoder saw, by kind of problem; nothing bad is ever silent.
///
/// Bound: `unknownTypes` keeps at most `DecodeStats.maxUnknownTypeNames` distinct names (the rest are
/// counted under `unknown` only).
public struct DecodeStats: Sendable, Equatable, Codable {
    public static let maxUnknownTypeNames = 32

    /// Envelopes (pub/sub messages) seen.
    public var messages = 0
    /// Events decoded and handed on.
    public var events = 0
    /// Messages that were not valid JSON, or whose body was not.
    public var malformedJSON = 0
    /// Bodies that were not valid base64.
    public var badBase64 = 0
    /// Events skipped because a required field was missing or had the wrong type.
    public var badFields = 0
    /// Events kept although an optional field had the wrong type (the field was dropped).
    public var wrongTypeFields = 0
    /// Events holding a number outside its range (`WireRange`): an optional field is dropped and the
    /// event kept; an out-of-range `timestamp` skips the event, which is then also counted in `badFields`.
    public var outOfRange = 0
    /// Events whose task id (`uuid`, `root_id`, `parent_id`) was not valid UTF-8: kept, with the bad bytes
    /// written as `\xNN` so distinct ids stay distinct (see `TaskKey.init(utf8:)`).
    public var invalidUTF8IDs = 0
    /// Items of a `task.multi` list that were not JSON objects: skipped, the rest of the batch decoded.
    public var badBatchItems = 0
    /// Events of a type retrytop does not know.
    public var unknown = 0
    /// Messages larger than the configured maximum.
    public var oversized = 0
    /// Messages in a content type other than JSON (pickle, msgpack, yaml).
    public var unsupportedContentType = 0
    public var unknownTypes: [String: Int] = [:]

    public init() {}

    /// All skipped input: what the dashboard shows as "malformed".
    public var malformed: Int { malformedJSON + badBase64 + badFields + oversized + unsupportedContentType + badBatchItems }

    /// Values dropped or repaired (wrong type, out of range, invalid UTF-8 id), counted once per event and
    /// kind: what the dashboard's header shows as "bad values".
    public var badValues: Int { wrongTypeFields + outOfRange + invalidUTF8IDs }

    public mutating func add(_ other: DecodeStats) {
        messages += other.messages
        events += other.events
        malformedJSON += other.malformedJSON
        badBase64 += other.badBase64
        badFields += other.badFields
        wrongTypeFields += other.wrongTypeFields
        outOfRange += other.outOfRange
        invalidUTF8IDs += other.invalidUTF8IDs
        badBatchItems += other.badBatchItems
        unknown += other.unknown
        oversized += other.oversized
        unsupportedContentType += other.unsupportedContentType
        for (name, count) in other.unknownTypes { noteUnknown(name, count: count, countTotal: false) }
    }

    mutating func noteUnknown(_ name: String, count: Int = 1, countTotal: Bool = true) {
        if countTotal { unknown += count }
        if unknownTypes[name] != nil || unknownTypes.count < DecodeStats.maxUnknownTypeNames {
            unknownTypes[name, default: 0] += count
        }
    }
}
