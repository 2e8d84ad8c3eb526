"""Emails: a safeguarding concern to the managers who must respond, and an auditor or moderator
when an audit reaches them. Queued inside the transaction that caused them, sent after it
commits; a failure to send is logged and never undoes the action. Emails carry a case reference
and a link, never written text about a child."""
