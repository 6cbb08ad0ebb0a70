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
        Assert.Equal(2, warning.Why);
        Assert.Equal("Ingrid", warning.Name);
        Assert.Contains("Why 2", warning.Message, StringComparison.Ordinal);
        Assert.Empty(BlamelessCheck.Warnings(["Solbergs supplier was late"], ["Ingrid Solberg"]));
    }

    [Fact]
    public void The_briefing_case_masks_names_emails_phones_and_order_numbers()
    {
        var text = "Hi, Kari Nordmann here (kari.n@example.com, +47 912 34 567). Order #10234 had the wrong size. Kari";
        var masked = DailyBriefing.Anonymise(text, ["Kari Nordmann", "Kari", "Nordmann", "10234"]);
        Assert.Equal("Hi, [customer] here ([e-mail], [phone]). Order [order] had the wrong size. [customer]", masked);
    }

    /// <summary>The transitions the issue and docs/defects.md allow; everything else is refused and changes nothing.</summary>
    private static readonly Dictionary<DefectStatus, DefectStatus[]> s_legal = new()
    {
        [DefectStatus.Open] = [DefectStatus.Investigating, DefectStatus.Actions],
        [DefectStatus.Investigating] = [DefectStatus.Actions],
        [DefectStatus.Actions] = [DefectStatus.Investigating, DefectStatus.Verifying],
        [DefectStatus.Verifying] = [DefectStatus.Actions, DefectStatus.Closed, DefectStatus.Reopened],
        [DefectStatus.Closed] = [DefectStatus.Reopened],
        [DefectStatus.Reopened] = [DefectStatus.Investigating, DefectStatus.Actions],
    };

    [Fact]
    public void Every_illegal_transition_is_refused_and_every_legal_one_is_taken()
    {
        foreach (var from in Enum.GetValues<DefectStatus>())
        {
            Assert.Equal(s_legal[from], Defect.AllowedFrom(from));
            foreach (var to in Enum.GetValues<DefectStatus>())
            {
                var defect = InState(from);
                var version = defect.Version;
                var outcome = defect.MoveTo(to, s_start.AddDays(10), s_watch);
                if (s_legal[from].Contains(to))
                {
                    Assert.True(outcome == DefectOutcome.Done, $"{from} -> {to}: {outcome}");
                    Assert.Equal(to, defect.Status);
                    Assert.True(defect.Version > version);
                }
                else
                {
                    Assert.True(outcome == DefectOutcome.IllegalTransition, $"{from} -> {to}: {outcome}");
                    Assert.Equal(from, defect.Status);
                    Assert.Equal(version, defect.Version);
                }
            }
        }
    }

    [Fact]
    public void A_closed_defect_reopened_by_hand_or_by_a_recurrence_inside_its_watch_counts_the_reopening()
    {
        var byHand = InState(DefectStatus.Closed);
        Assert.Equal(DefectOutcome.Done, byHand.MoveTo(DefectStatus.Reopened, s_start.AddDays(6), s_watch));
        Assert.Equal(1, byHand.ReopenCount);
        Assert.Null(byHand.ClosedAt);
        Assert.Null(byHand.VerifyUntil);

        var recurred = InState(DefectStatus.Closed);
        Assert.True(recurred.RecordRecurrence(41, s_start.AddDays(6)));
        Assert.Equal(DefectStatus.Reopened, recurred.Status);
        Assert.Equal(1, recurred.ReopenCount);
        Assert.Equal(DefectOutcome.Done, recurred.MoveTo(DefectStatus.Actions, s_start.AddDays(7), s_watch));
    }

    [Fact]
    public void The_briefing_case_masks_street_addresses_and_postcodes()
    {
        Assert.Equal("Send it to [address], [address] please, not [address].",
            DailyBriefing.Anonymise("Send it to Storgata 12B, 0150 Oslo please, not Karl Johans gate 5.", []));
        Assert.Equal("I live at [address] and it never came.", DailyBriefing.Anonymise("I live at 221 Baker Street and it never came.", []));
        Assert.Equal("Skicka till [address], [address].", DailyBriefing.Anonymise("Skicka till Drottninggatan 3, 111 51 Stockholm.", []));
        Assert.Equal("The dress in size 38 came in 2 days.", DailyBriefing.Anonymise("The dress in size 38 came in 2 days.", []));
    }

    /// <summary>Every L["Key"] of the defect, briefing, measures and spike pages, and every enum value's DK_ key, in both languages.</summary>
    [Fact]
    public void Every_text_the_defect_pages_use_is_in_English_and_Norwegian()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "src", "MemberCare", "Features", "Defects")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var pages = Directory.GetFiles(Path.Combine(root.FullName, "src", "MemberCare", "Features", "Defects"), "*.razor")
            .Concat(Directory.GetFiles(Path.Combine(root.FullName, "src", "MemberCare", "Features", "Spikes"), "*.razor"));
        var used = pages.SelectMany(p => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(p), @"\bL\[""(\w+)""[\],]").Select(m => m.Groups[1].Value))
            .Concat(DefectKeys.Keys<DefectCategory>().Concat(DefectKeys.Keys<DefectSeverity>()).Concat(DefectKeys.Keys<DefectStatus>())
                .Concat(DefectKeys.Keys<CauseCategory>()).Concat(DefectKeys.Keys<Remedy>()).Concat(DefectKeys.Keys<ActionKind>())
                .Concat(DefectKeys.Keys<DefectLinkKind>()).Concat(["customer", "us", "within_1_hour", "within_24_hours", "later", "no_reply"]).Select(k => "DK_" + k))
            .Concat(Enum.GetNames<MemberCare.Domain.Spikes.SpikeAlertStatus>().Select(n => "SpikeStatus_" + n.ToLowerInvariant()))
            .Distinct().ToList();
        var resources = new System.Resources.ResourceManager(typeof(MemberCare.Resources.Ui));
        foreach (var culture in new[] { System.Globalization.CultureInfo.InvariantCulture, new System.Globalization.CultureInfo("nb") })
        {
            var set = resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!;
            Assert.True(used.Count > 50);
            Assert.Empty(used.Where(k => set.GetString(k) is null).Select(k => $"{culture.Name}:{k}"));
        }
    }

    private static Defect InState(DefectStatus status)
    {
        var defect = NewDefect();
        switch (status)
        {
            case DefectStatus.Open:
                break;
            case DefectStatus.Investigating:
                defect.MoveTo(DefectStatus.Investigating, s_start, s_watch);
                break;
            case DefectStatus.Actions:
                // Its one action is done, so moving on to verifying is allowed; an open action is tested on its own.
                defect = Verifying();
                defect.MoveTo(DefectStatus.Actions, s_start.AddDays(2), s_watch);
                break;
            case DefectStatus.Verifying:
                defect = Verifying();
                break;
            case DefectStatus.Closed:
                defect = Verifying();
                defect.Close("what", "why", "change", s_start.AddDays(2));
                break;
            case DefectStatus.Reopened:
                defect = Verifying();
                defect.MoveTo(DefectStatus.Reopened, s_start.AddDays(2), s_watch);
                break;
        }
        Assert.Equal(status, defect.Status);
        if (status is not (DefectStatus.Verifying or DefectStatus.Actions or DefectStatus.Reopened))
        {
            // Closing from verifying needs the lesson; a verifying defect here has none, a closed one has it.
            return defect;
        }
        defect.WriteLesson("what", "why", "change", s_start.AddDays(2));
        return defect;
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
