"""The `coach` command line: argument parsing (`args`), the commands (`main`, `history`),
text rendering of feedback (`render`) and the terminal practice loop (`practice`)."""
