namespace MemberCare.Features.Triage.Training;

/// <summary>The recipes the shipped models are trained with, and the candidates cross-validation chose them from.</summary>
public static class TriageRecipes
{
    private static readonly Dictionary<string, float> s_none = [];

    public static TriageRecipe Chosen(TriageTask task) => task switch
    {
        TriageTask.Concern => new("concern", 2, 14, 4, 13, TrainerKind.LbfgsMaximumEntropy, Dictionary: true, 0f, 1f, 0.5, new Dictionary<string, float> { ["bitext"] = 0.5f }),
        TriageTask.Sentiment => new("sentiment", 2, 15, 4, 14, TrainerKind.LbfgsMaximumEntropy, Dictionary: true, 0f, 1f, 1.0, s_none),
        _ => new("language", 1, 13, 4, 13, TrainerKind.LbfgsMaximumEntropy, Dictionary: true, 0f, 1f, 1.0, s_none),
    };

    public static IReadOnlyList<TriageRecipe> Candidates(TriageTask task)
    {
        var chosen = Chosen(task);
        return
        [
            chosen,
            chosen with { Name = "hashed n-grams", Dictionary = false, WordBits = 16, CharBits = 16 },
            chosen with { Name = "words only", CharNgrams = 0 },
            chosen with { Name = "L2 0.1", L2 = 0.1f },
            chosen with { Name = "L2 10", L2 = 10f },
            chosen with { Name = "sdca", Trainer = TrainerKind.SdcaMaximumEntropy, L2 = 1e-4f },
            chosen with { Name = "balance 0", Balance = 0 },
            chosen with { Name = "balance 1", Balance = 1 },
        ];
    }
}
