using System.ComponentModel.DataAnnotations;

namespace MemberCare.Features.Triage;

public sealed class TriageOptions
{
    /// <summary>Where concern.zip, sentiment.zip, language.zip and manifest.json live; relative to the executable.</summary>
    [Required]
    public string ModelsFolder { get; set; } = Path.Combine("Features", "Triage", "Models");

    /// <summary>Off: messages are stored untriaged and nothing loads a model.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the backfill looks for untriaged messages and for a new model set in the folder.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan BackfillInterval { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 10_000)]
    public int BackfillBatchSize { get; set; } = 200;

    /// <summary>How many messages intake triages at once; more wait for the backfill. 0: half the cores.</summary>
    [Range(0, 1024)]
    public int MaxConcurrentAtIntake { get; set; }

    /// <summary>How far back earlier messages of the same customer count as repeated contacts.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan RecentContactsWindow { get; set; } = TimeSpan.FromDays(7);

    public string ResolveModelsFolder() =>
        Path.IsPathRooted(ModelsFolder) ? ModelsFolder : Path.Combine(AppContext.BaseDirectory, ModelsFolder);
}
