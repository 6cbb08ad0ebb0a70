using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MemberCare.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Retrain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TriageModelReleases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RetrainId = table.Column<long>(type: "INTEGER", nullable: false),
                    Concern = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Sentiment = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Language = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Manifest = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageModelReleases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TriageRetrainLeases",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageRetrainLeases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TriageRetrains",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Node = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Corrections = table.Column<int>(type: "INTEGER", nullable: false),
                    NewCorrections = table.Column<int>(type: "INTEGER", nullable: false),
                    LastCorrectionId = table.Column<long>(type: "INTEGER", nullable: false),
                    CurrentVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CandidateVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ScoresBefore = table.Column<string>(type: "TEXT", nullable: true),
                    ScoresAfter = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageRetrains", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "TriageRetrainLeases",
                columns: new[] { "Id", "ExpiresAt", "Holder" },
                values: new object[] { "retrain", 1272537022464000000L, null });

            migrationBuilder.CreateIndex(
                name: "IX_TriageModelReleases_Version",
                table: "TriageModelReleases",
                column: "Version",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TriageRetrains_StartedAt",
                table: "TriageRetrains",
                column: "StartedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TriageModelReleases");

            migrationBuilder.DropTable(
                name: "TriageRetrainLeases");

            migrationBuilder.DropTable(
                name: "TriageRetrains");
        }
    }
}
