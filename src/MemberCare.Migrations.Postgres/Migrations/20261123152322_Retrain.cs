using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MemberCare.Migrations.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RetrainId = table.Column<long>(type: "bigint", nullable: false),
                    Concern = table.Column<byte[]>(type: "bytea", nullable: false),
                    Sentiment = table.Column<byte[]>(type: "bytea", nullable: false),
                    Language = table.Column<byte[]>(type: "bytea", nullable: false),
                    Manifest = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageModelReleases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TriageRetrainLeases",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Holder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageRetrainLeases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TriageRetrains",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Corrections = table.Column<int>(type: "integer", nullable: false),
                    NewCorrections = table.Column<int>(type: "integer", nullable: false),
                    LastCorrectionId = table.Column<long>(type: "bigint", nullable: false),
                    CurrentVersion = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CandidateVersion = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ScoresBefore = table.Column<string>(type: "text", nullable: true),
                    ScoresAfter = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageRetrains", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "TriageRetrainLeases",
                columns: new[] { "Id", "ExpiresAt", "Holder" },
                values: new object[] { "retrain", new DateTimeOffset(new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null });

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
