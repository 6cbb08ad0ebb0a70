using MemberCare.Domain.Defects;
using MemberCare.Features.Defects;

namespace MemberCare.Tests.Defects;

public sealed class DefectLifecycleTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_watch = TimeSpan.FromDays(14);

    private static Defect NewDefect() =>
        Defect.Open("Wrong size in parcels", DefectCategory.PickOrPackError, DefectSeverity.High, "wrong_or_missing_item|sku:DRS-114", "lead", "owner-1", s_start);

    [Fact]
    public void A_defect_cannot_close_while_an_action_is_open()
    {
        var defect = NewDefect();
        defect.AddAction(ActionKind.Corrective, "Relabel the bin", "owner-1", null, s_start.AddDays(2), s_start);
        defect.WriteLesson("what", "why", "change", s_start);

        Assert.Equal(DefectOutcome.IllegalTransition, defect.MoveTo(DefectStatus.Closed, s_start, s_watch));
        Assert.Equal(DefectOutcome.ActionsOpen, defect.MoveTo(DefectStatus.Verifying, s_start, s_watch));
        Assert.Equal(DefectOutcome.IllegalTransition, defect.Close("what", "why", "change", s_start));
        Assert.Equal(DefectStatus.Actions, defect.Status);
        Assert.Null(defect.ClosedAt);
    }

    [Fact]
    public void Verifying_needs_at_least_one_action()
    {
        var defect = NewDefect();
        Assert.Equal(DefectOutcome.Done, defect.MoveTo(DefectStatus.Actions, s_start, s_watch));
        Assert.Equal(DefectOutcome.NoActions, defect.MoveTo(DefectStatus.Verifying, s_start, s_watch));
    }

    [Fact]
    public void Completing_the_last_action_starts_the_watch_and_closing_publishes_the_lesson()
    {
        var defect = NewDefect();
        var first = defect.AddAction(ActionKind.Corrective, "Relabel the bin", "owner-1", null, s_start.AddDays(2), s_start);
        var second = defect.AddAction(ActionKind.Preventive, "Scan each item at packing", null, "warehouse", s_start.AddDays(7), s_start);
        SetId(first, 1);
        SetId(second, 2);

        Assert.Equal(DefectOutcome.Done, defect.CompleteAction(1, "Photo of the new label", s_start.AddDays(1), s_watch));
        Assert.Equal(DefectStatus.Actions, defect.Status);
        Assert.Equal(DefectOutcome.AlreadyDone, defect.CompleteAction(1, "again", s_start.AddDays(1), s_watch));
        Assert.Equal(DefectOutcome.Done, defect.CompleteAction(2, "Scanner log", s_start.AddDays(3), s_watch));
        Assert.Equal(DefectStatus.Verifying, defect.Status);
        Assert.Equal(s_start.AddDays(17), defect.VerifyUntil);

        Assert.Equal(DefectOutcome.Done, defect.Close("Parcels held the wrong size", "Two bins shared a label", "Each bin has its own scanned label", s_start.AddDays(4)));
        Assert.Equal(DefectStatus.Closed, defect.Status);
        Assert.Equal(s_start.AddDays(4), defect.LessonPublishedAt);
    }

    [Fact]
    public void A_recurrence_during_the_watch_reopens_and_one_after_it_does_not()
    {
        var defect = Verifying();
        Assert.True(defect.RecordRecurrence(77, s_start.AddDays(5)));
        Assert.Equal(DefectStatus.Reopened, defect.Status);
        Assert.Equal(1, defect.ReopenCount);
        Assert.Equal(77, defect.RecurrenceMessageId);

        var quiet = Verifying();
        Assert.False(quiet.RecordRecurrence(78, s_start.AddDays(30)));
        Assert.True(quiet.ConfirmVerified(s_start.AddDays(30)));
        Assert.Equal(s_start.AddDays(15), quiet.VerifiedAt);
        Assert.False(quiet.ConfirmVerified(s_start.AddDays(31)));
    }

    [Fact]
    public void A_new_action_on_a_verifying_defect_stops_the_watch()
    {
        var defect = Verifying();
        defect.AddAction(ActionKind.Preventive, "Audit the other bins", null, "warehouse", s_start.AddDays(9), s_start.AddDays(2));
        Assert.Equal(DefectStatus.Actions, defect.Status);
        Assert.Null(defect.VerifyUntil);
        Assert.False(defect.RecordRecurrence(5, s_start.AddDays(3)));
    }

    [Fact]
    public void Each_customer_is_linked_once_and_gets_one_recovery_task()
    {
        var defect = NewDefect();
        Assert.True(defect.LinkConversation(10, 500, s_start.AddHours(-5), s_start));
        Assert.False(defect.LinkConversation(10, 500, s_start.AddHours(-5), s_start));
        Assert.True(defect.LinkConversation(11, 500, s_start.AddHours(-9), s_start));
        Assert.False(defect.LinkCustomer(500, s_start));
        Assert.Single(defect.Recoveries);
        Assert.Equal(Remedy.Apology, defect.Recoveries[0].Remedy);
        Assert.Equal(s_start.AddHours(-9), defect.FirstComplaintAt);
    }

    [Fact]
    public void An_action_has_one_owner_a_person_or_a_department()
    {
        var defect = NewDefect();
        Assert.Throws<ArgumentException>(() => defect.AddAction(ActionKind.Corrective, "x", "u1", "warehouse", s_start, s_start));
        Assert.Throws<ArgumentException>(() => defect.AddAction(ActionKind.Corrective, "x", null, null, s_start, s_start));
    }

    [Fact]
    public void A_cause_that_names_a_colleague_gets_a_blameless_warning()
    {
        var warnings = BlamelessCheck.Warnings(
            ["The label was wrong", "Ingrid forgot to scan the bin", "Nobody checks the sizes"],
            ["Ingrid Solberg", "Ola Nordmann"]);
        var warning = Assert.Single(warnings);
        Assert.Contains("Why 2", warning, StringComparison.Ordinal);
        Assert.Contains("Ingrid", warning, StringComparison.Ordinal);
        Assert.Empty(BlamelessCheck.Warnings(["Solbergs supplier was late"], ["Ingrid Solberg"]));
    }

    [Fact]
    public void The_briefing_case_masks_names_emails_phones_and_order_numbers()
    {
        var text = "Hi, Kari Nordmann here (kari.n@example.com, +47 912 34 567). Order #10234 had the wrong size. Kari";
        var masked = DailyBriefing.Anonymise(text, ["Kari Nordmann", "Kari", "Nordmann", "10234"]);
        Assert.Equal("Hi, [customer] here ([e-mail], [phone]). Order [order] had the wrong size. [customer]", masked);
    }

    private static Defect Verifying()
    {
        var defect = NewDefect();
        SetId(defect.AddAction(ActionKind.Corrective, "Relabel", "owner-1", null, s_start, s_start), 9);
        defect.CompleteAction(9, "done", s_start.AddDays(1), s_watch);
        Assert.Equal(DefectStatus.Verifying, defect.Status);
        return defect;
    }

    private static void SetId(DefectAction action, long id) =>
        typeof(DefectAction).GetProperty(nameof(DefectAction.Id))!.SetValue(action, id);
}
