"""What an audit leads to: actions, and safeguarding concerns raised at once."""
