using NUnit.Framework;

namespace Crawler.Evidence.Tests;

/// <summary>The comparison of a manifest's record list with the records in the file: every difference names its record.</summary>
public sealed class RecordListTests
{
    private static readonly string[] Types = ["warcinfo", "request", "response", "metadata", "request", "response", "metadata"];

    private static List<WarcRecordEntry> Listed() =>
        Types.Select((type, i) => new WarcRecordEntry(i, $"<urn:uuid:{i}>", type, i == 0 ? null : $"http://ads.example.nl/{i / 4}",
            WarcVerifier.Sha256Label([(byte)i]), type == "response" ? WarcVerifier.Sha256Label([(byte)(i + 100)]) : null)).ToList();

    /// <summary>The records as they stand in a changed file, re-indexed by their new position.</summary>
    private static List<WarcRecordEntry> InFile(IEnumerable<WarcRecordEntry> records) => records.Select((r, i) => r with { Index = i }).ToList();

    [Test]
    public void The_same_records_in_the_same_order_have_no_problems()
    {
        Assert.That(WarcRecordList.Compare(Listed(), Listed()), Is.Empty);
    }

    [Test]
    public void A_removed_record_is_named_and_the_records_after_it_are_not_called_moved()
    {
        var listed = Listed();
        var file = InFile(listed.Where(r => r.Index != 3));

        var problems = WarcRecordList.Compare(listed, file);

        Assert.That(problems, Is.EqualTo(new[] { "record 3 (metadata, <urn:uuid:3>): listed in the manifest but missing from the file (removed after the export)" }));
    }

    [Test]
    public void An_added_record_is_named_at_its_place_in_the_file()
    {
        var listed = Listed();
        var added = new WarcRecordEntry(0, "<urn:uuid:forged>", "metadata", "http://ads.example.nl/1", WarcVerifier.Sha256Label("x"u8), null);
        var file = InFile([.. listed.Take(4), added, .. listed.Skip(4)]);

        var problems = WarcRecordList.Compare(listed, file);

        Assert.That(problems, Is.EqualTo(new[] { "record 4 (metadata, <urn:uuid:forged>): not in the manifest's record list (added after the export)" }));
    }

    [Test]
    public void A_record_copied_under_its_own_id_is_named_as_the_second_one()
    {
        var listed = Listed();
        var file = InFile([.. listed.Take(3), listed[2], .. listed.Skip(3)]);

        var problems = WarcRecordList.Compare(listed, file);

        Assert.That(problems, Is.EqualTo(new[] { "record 3 (response, <urn:uuid:2>): a second record with the WARC-Record-ID of record 2; the manifest lists it once" }));
    }

    [Test]
    public void Two_swapped_records_name_the_one_out_of_order()
    {
        var listed = Listed();
        var file = InFile([listed[0], listed[2], listed[1], .. listed.Skip(3)]);

        var problems = WarcRecordList.Compare(listed, file);

        Assert.That(problems, Is.EqualTo(new[] { "record 1 (response, <urn:uuid:2>): out of order: the manifest lists it as record 2" }));
    }

    [Test]
    public void A_record_moved_from_the_end_to_the_start_is_the_only_one_named()
    {
        var listed = Listed();
        var file = InFile([listed[6], .. listed.Take(6)]);

        var problems = WarcRecordList.Compare(listed, file);

        Assert.That(problems, Is.EqualTo(new[] { "record 0 (metadata, <urn:uuid:6>): out of order: the manifest lists it as record 6" }));
    }

    [Test]
    public void A_changed_digest_type_or_target_is_named_with_both_values()
    {
        var listed = Listed();
        var file = Listed();
        file[2] = file[2] with { BlockDigest = WarcVerifier.Sha256Label("changed"u8), PayloadDigest = null };
        file[3] = file[3] with { Type = "resource", TargetUri = "urn:crawler:other" };

        var problems = WarcRecordList.Compare(listed, file);

        Assert.That(problems, Has.Count.EqualTo(4));
        Assert.That(problems[0], Is.EqualTo($"record 2 (response, <urn:uuid:2>): its WARC-Block-Digest is '{file[2].BlockDigest}' in the file " +
                                            $"but '{listed[2].BlockDigest}' in the manifest (the record was changed after the export)"));
        Assert.That(problems[1], Does.StartWith("record 2 (response, <urn:uuid:2>): its WARC-Payload-Digest is absent in the file but 'sha256:"));
        Assert.That(problems[2], Does.StartWith("record 3 (resource, <urn:uuid:3>): its WARC-Type is 'resource' in the file but 'metadata' in the manifest"));
        Assert.That(problems[3], Does.StartWith("record 3 (resource, <urn:uuid:3>): its WARC-Target-URI is 'urn:crawler:other' in the file"));
    }

    [Test]
    public void A_list_whose_indexes_or_ids_do_not_add_up_is_itself_named()
    {
        var listed = Listed();
        listed[5] = listed[5] with { Index = 9 };
        listed[6] = listed[6] with { RecordId = listed[1].RecordId };

        var problems = WarcRecordList.Compare(listed, Listed());

        Assert.That(problems, Has.Some.EqualTo("the manifest's record list gives entry 5 (response, <urn:uuid:5>) the index 9"));
        Assert.That(problems, Has.Some.EqualTo("the manifest's record list names <urn:uuid:1> twice (entries 1 and 6)"));
        Assert.That(problems, Has.Some.StartsWith("record 6 (metadata, <urn:uuid:6>): not in the manifest's record list"));
    }
}
