"""Reading a case folder: walk it, read each file safely, split and check front matter,
parse a file into a Case. Imports only `core.text` and the core's plain records."""
