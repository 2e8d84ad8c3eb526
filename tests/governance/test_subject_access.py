"""``cases records REF`` lists every record held about a case."""

from __future__ import annotations


def test_records_lists_the_case_its_audits_and_logs(app, runner, people, client_for, make_audit):
    audit_id = make_audit(people.auditor, "SYN-900001")
    client_for(people.admin).get(f"/manage/audits/{audit_id}")
    result = runner.invoke(args=["cases", "records", "syn-900001"])
    assert result.exit_code == 0, result.output
    assert "reference SYN-900001" in result.output
    assert f"audit {audit_id}: status draft, auditor {people.auditor.email}" in result.output
    assert "access log rows: 1" in result.output
    assert "event log entries: 1" in result.output


def test_an_unknown_reference_is_refused(runner, people):
    result = runner.invoke(args=["cases", "records", "SYN-NONE"])
    assert result.exit_code == 1
    assert "No case has the reference SYN-NONE." in result.output
