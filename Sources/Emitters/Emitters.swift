/// Emitters: one type per generated artifact.
