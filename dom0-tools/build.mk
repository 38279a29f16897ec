# dom0-tools: nothing to build yet.
