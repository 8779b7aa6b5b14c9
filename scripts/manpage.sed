# Turns swift-argument-parser's generated manifestc(1) into a page mdoc reads without warnings
# (scripts/install.sh runs it: sed -f scripts/manpage.sed). The GenerateManual plugin copies the
# blank line between two paragraphs of a help text as it is, and mdoc warns "Empty input line"
# for each: a blank line becomes .Pp, mdoc's paragraph break.
s/^$/.Pp/
