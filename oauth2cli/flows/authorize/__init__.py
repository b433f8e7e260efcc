"""The shape of the authorization request and its answer: hybrid response types (hybrid), the response
mode the listener waits in (response_mode), JARM (jarm), signed request objects (request_object),
and the FAPI 2.0 profile that turns them on (fapi2). Used by flows/login.
"""
