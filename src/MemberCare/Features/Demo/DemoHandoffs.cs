using MemberCare.Domain.Conversations;
using MemberCare.Domain.Departments;
using MemberCare.Domain.Routing;
using MemberCare.Features.Triage;

namespace MemberCare.Features.Demo;

/// <summary>Hand-offs for the demo shop in every state, so the portal and the inbox show the whole lifecycle.</summary>
public static class DemoHandoffs
{
    private static readonly string[] s_answers =
    [
        "We picked the wrong size from the shelf. The right one leaves the warehouse today with express shipping.",
        "The carrier confirms the parcel is at the pick-up point; it was delivered there yesterday.",
    ];

    public static IReadOnlyList<Handoff> Plan(IReadOnlyList<Conversation> conversations, DateTimeOffset now)
    {
        var calendar = BusinessCalendar.Parse("Europe/Oslo", BusinessCalendar.DefaultHours, "");
        var handoffs = new List<Handoff>();
        var candidates = conversations
            .Where(c => c.ConcernType is { } concern && TriageLabels.IsConcern(concern) && TriageLabels.DepartmentFor(concern) != "member_care"
                && c.Status is ConversationStatus.New or ConversationStatus.Open && c.MessageCount <= 4)
            .Take(8)
            .ToList();
        for (var i = 0; i < candidates.Count; i++)
        {
            var conversation = candidates[i];
            var asked = now.AddHours(-6 * (i + 1));
            var words = conversation.Messages.Where(m => m.Direction == MessageDirection.Inbound).Select(m => m.Text).FirstOrDefault() ?? "";
            var handoff = Handoff.Open(conversation.Id, TriageLabels.DepartmentFor(conversation.ConcernType!),
                new HandoffDetails(conversation.ConcernType, "Please look into this for the customer.", words, conversation.OrderNumber, null, null, null),
                "Demo agent", null, null, asked, calendar.Add(asked, TimeSpan.FromHours(2)), calendar.Add(asked, TimeSpan.FromHours(16)));
            conversation.AddNote("Demo agent", $"Handed off to {handoff.DepartmentKey}: {handoff.Request}", asked);
            switch (i % 4)
            {
                case 1:
                    handoff.Acknowledge("Demo department", asked.AddHours(1));
                    break;
                case 2:
                    handoff.Complete("Demo department", s_answers[i / 4 % s_answers.Length], asked.AddHours(3));
                    conversation.AddNote("Demo department", "Answered: " + handoff.Answer, asked.AddHours(3));
                    break;
                case 3:
                    handoff.Reject("Demo department", "This is not ours: the order was never picked by us.", asked.AddHours(2));
                    break;
                default:
                    break;
            }
            if (handoff.IsOpen)
            {
                conversation.TryMoveTo(ConversationStatus.WaitingOnDepartment, asked);
            }
            handoffs.Add(handoff);
        }
        return handoffs;
    }
}
