"""The token other programs ask for: the shared helper path (helper), its answer from a fresh stored
token (helper_view), git's credential helper and its set-up (git_credential, git_setup), kubectl's
ExecCredential (kube), and oauth2 exec (exec_command).
"""
