import CLibFuzzer
import Foundation
import Monitor

/// The fuzz target over everything hostile bytes reach in the core: each input goes through decode, fold,
/// snapshot JSON and event lines (`InputReplay`); a bad event-line round trip is a finding too (a trap).
///
/// Built by `scripts/fuzz.sh` with `-sanitize=fuzzer,address -DDECODE_FUZZ_LIBFUZZER`, `main` hands the
/// command line to libFuzzer's driver. A plain `swift build` makes a replayer instead: it runs the files
/// or directories named on the command line through the same entry point (a corpus, a crash input).
@main
enum DecodeFuzz {
    static func main() throws {
        #if DECODE_FUZZ_LIBFUZZER
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            DecodeFuzz.testOneInput(data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0))
        })
        #else
        var files: [String] = []
        for path in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("DecodeFuzz: no such file \(path)\n".utf8))
                exit(2)
            }
            if isDirectory.boolValue {
                files += try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            _ = bytes.withUnsafeBufferPointer { testOneInput($0) }
        }
        print("DecodeFuzz: replayed \(files.count) inputs")
        #endif
    }

    /// One input; returns 0 as libFuzzer expects.
    static func testOneInput(_ bytes: UnsafeBufferPointer<UInt8>) -> CInt {
        let outcome = InputReplay.run(Array(bytes))
        if outcome.badRoundTrips > 0 { fatalError("DecodeFuzz: \(outcome.badRoundTrips) event lines did not decode back") }
        return 0
    }
}
