"""Drawing audit samples and sharing them out among auditors: plain Python, no Flask or database.

``rule`` holds the sampling rule, ``draw`` draws a sample from the eligible cases and
``assignment`` spreads the drawn cases across auditors.
"""
