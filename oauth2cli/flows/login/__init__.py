"""Logging a person in: which way in (login), the browser and its listener (login_browser), a pasted
address (login_paste), the password grant (login_password), CIBA (ciba); what every way shares
(login_common), what a login says (login_text), the token set as saved (login_keep), and
RP-initiated logout (end_session).
"""
