"""The marketplace pillar: a directory of services people can search and
buy from, in the Open Referral UK standard (docs/directory.md)."""
