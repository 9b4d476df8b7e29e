@testable import Dashboard
import TerminalUI
import Testing

@Suite("Keymap")
struct KeymapTests {
    @Test func noKeyBoundTwiceInScopesActiveTogether() {
        for scopes in KeyScope.combinations {
            var seen: [Key: Command] = [:]
            for binding in Keymap.table where scopes.contains(binding.scope) {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(key) bound to \(seen[key].map(String.init(describing:)) ?? "") and \(binding.command) in \(scopes)")
                    seen[key] = binding.command
                }
            }
        }
    }

    @Test func everyCommandHasAKey() {
        for command in Command.allCases {
            #expect(Keymap.table.contains { $0.command == command && !$0.keys.isEmpty }, "\(command) has no key")
        }
    }

    @Test func helpEqualsTheTable() {
        let lines = Keymap().helpLines().filter { $0.kind != .heading && $0.kind != .blank }
        #expect(lines.count == Keymap.table.count)
        for (line, binding) in zip(lines, KeyScope.allCases.flatMap { scope in Keymap.table.filter { $0.scope == scope } }) {
            #expect(line.text.hasPrefix(binding.keyLabel))
            #expect(line.text.contains(binding.summary))
        }
    }

    @Test func markdownEqualsTheTable() {
        let rows = Keymap.markdownTable().split(separator: "\n").dropFirst(2)
        #expect(rows.count == Keymap.table.count)
        for (row, binding) in zip(rows, Keymap.table) {
            #expect(row.contains(binding.summary))
            #expect(row.contains("| \(binding.scope.title) |"))
        }
    }

    @Test func readOnlyRemovesDangerousBindingsAndHelpSaysWhy() {
        let keymap = Keymap(readOnly: true)
        let anyDangerous = keymap.bindings.contains { $0.isDangerous }
        #expect(!anyDangerous)
        #expect(keymap.disabled.count == Keymap.table.filter(\.isDangerous).count)
        let disabled = keymap.helpLines().filter { $0.kind == .disabled }
        #expect(disabled.count == keymap.disabled.count)
        #expect(disabled.allSatisfy { $0.text.contains("--read-only") })
        #expect(keymap.command(for: .char("x"), in: [.global, .list]) == nil)
    }

    @Test func footerHintsComeFromTheTable() {
        let hints = Keymap().hints(in: [.global, .list, .overview])
        #expect(hints.first == KeyHint("Enter", "open"))
        #expect(hints.contains(KeyHint("q", "quit")))
    }
}
