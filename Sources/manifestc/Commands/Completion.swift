import ArgumentParser

/// Shell completion scripts: swift-argument-parser's, with the default command's options in
/// bash's (it completes only the command names and the root's own flags at the first word).
enum Completion {
    /// The script `--generate-completion-script bash` prints, or nil for any other command line
    /// (ArgumentParser answers those itself).
    static func script(for arguments: [String]) -> String? {
        guard arguments == ["--generate-completion-script", "bash"] || arguments == ["--generate-completion-script=bash"] else { return nil }
        return bash(Manifestc.completionScript(for: .bash))
    }

    /// ArgumentParser's bash script, whose branch for a first word that is no command name
    /// offers the command names only: there it also runs emit's completion (`manifestc --em`,
    /// `manifestc kraft.yaml --dry-run`, `manifestc --emit con`), with the command names only
    /// at the first word. A script of another shape is returned as it is.
    static func bash(_ script: String) -> String {
        let names = Manifestc.commandNames.joined(separator: " ") + " help"
        let original = """
                *)
                    # Offer subcommand completions
                    COMPREPLY+=($(compgen -W '\(names)' -- "${cur}"))
                    ;;
            """
        let replacement = """
                *)
                    # The default command is emit: its completions, and the command names at the first word
                    COMPREPLY=()
                    [[ "${COMP_CWORD}" -ne 1 ]] || COMPREPLY+=($(compgen -W '\(names)' -- "${cur}"))
                    unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")
                    _manifestc_emit
                    ;;
            """
        return script.replacing(original, with: replacement)
    }
}
