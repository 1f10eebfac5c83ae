# The fixture's own tests load it as a plugin, as a user's conftest.py would.
pytest_plugins = ["consentry_pytest"]
