// Package content compiles the study guide that ships with srs into the
// built-in deck. The guide (guide.txt, embedded) is flattened web text:
// headings are plain lines, list items are lines of their own and many
// paragraphs are glued together without a space, so the compiler finds
// structure by the shape of lines, never by markup.
//
// # What becomes a card
//
// Deep questions. A line "Qn: ..." or "Interview: ..." is a question only if
// the next non-blank line is an answer heading ("Strong Answer", "Strong
// Answer Framework:", "What weak candidates say" or "What strong candidates
// say"). The guide's answers contain look-alikes, such as the quarterly
// roadmap "Q1: CI/CD pipeline ..." inside Q24's answer; the heading rule
// keeps them in the answer. A numbered line that continues the sequence but
// has no heading is kept as text with a warning, and a real question whose
// number skips or repeats is kept with a warning.
//
// Follow-ups. "Follow-up: ..." and "Going Deeper: ..." lines, and quoted
// senior probes of the form `“...?” - Strong answer: ...`, become follow-up
// cards whose Parent is the nearest preceding question. The guide sometimes
// places a follow-up after a question it is not about (the on-call follow-up
// after the Interview questions, the tech-debt follow-up after Q24); the
// compiler keeps source order rather than guessing topics. For the same
// reason a callout (Production Edge Case, Senior vs Staff, What would you
// validate after shipping ...?) belongs to the unit whose text it follows.
// Text after a quoted probe returns to the probe's question, which is where
// the guide's "Common Wrong Answers" and "Further Reading" lists belong.
//
// Probes, patterns and prompts. Outside a question's answer (in the guide:
// before the first question) a short line ending in ":" and followed by
// quoted lines ("After any system design answer:") opens a probe group, one
// probe card per quoted line. "N. Name — “Question”"
// opens a probe pattern; "... Prompts:" opens a prompt group, one prompt
// card per line. A trailing "(Strong answer: ...)", "(Hint: ...)" or "(Staff
// expectation: ...)" moves to the back; without one the back is a rubric of
// the probe patterns.
//
// Editorial paragraphs ("These questions ...", "These prompts ...", "These
// are the follow-up questions ...", "Memorize these ...", "A note on ...")
// end whatever unit or list is open and are not part of any card. Everything
// else outside a unit (course intro, tables, matrices) is ignored.
//
// # Backs
//
// A back is Markdown: the answer first, then each labelled part of the
// source as a "### Title" section in source order (War Story, Contrarian
// Take, Most Candidates, Great Candidates, Red Flag Answer, What Weak
// Candidates Say, Production Edge Case, Senior vs Staff, Real-World Example,
// Common Wrong Answers, Further Reading, What would you validate ...?). A
// run of two or more short lines becomes a bullet list; short "Label: ..."
// lines and lines ending in ":" between them become bold sub-headings.
//
// Sentences the source glued together ("...should be built.There are...",
// "...my playbook:Minutes 0-2: ...") are separated by a space once the
// labels are found (labels are recognised by being glued). Dotted names,
// URLs, file names, code and abbreviations (e.g., U.S., Node.js,
// config.go, fmt.Println) stay whole; see separateSentences.
//
// # Card IDs
//
// IDs come from the guide's numbering and headings, never from answer text,
// so editing an answer keeps the card and its review history:
//
//	q04                            deep question Q4 (two-digit number)
//	q04.f2                         its second Follow-up: or Going Deeper:, in source order
//	interview.2                    the second Interview: question
//	interview.2.p1                 its first quoted senior probe (“...” - Strong answer: ...)
//	interview.3.f1                 a Follow-up: placed after interview.3
//	probe.system-design.1          first probe under "After any system design answer:"
//	probe.architecture.2           groups are named by the words before " or "
//	probe.universal.1              "The two universal probes ...": the words before "probes"
//	pattern.failure-mode           probe pattern "1. Failure Mode — “...”"
//	prompt.live-debugging.3        third prompt under "Live Debugging Prompts:"
//	prompt.additional-live-debugging.1
//
// Follow-ups and quoted probes are counted separately, so adding a probe
// does not renumber follow-ups; inserting a follow-up renumbers only the
// later follow-ups of the same question. If two cards would share an ID the
// later one gets a "-2" suffix and a warning.
//
// # Warnings
//
// Compile repairs what it must and reports it: invalid UTF-8 (replaced with
// U+FFFD), control characters (removed), run-together sentences (separated;
// one warning per line lists them), and text that lost its spaces when
// the web page rendered "$...$" dollar amounts as math ("adds
// 800/month.Theengineeringtimeis2weeks..."), which is kept as is because
// only the author can restore it.
package content
