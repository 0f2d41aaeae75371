"""Policy stage: the eligibility rules of POLICY.md as pure functions, and the
Beam join that feeds them each conversation's consent, sharing and deletion
timelines."""
