using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemberCare.Features.Triage;

/// <summary>
/// An open-addressing map from a packed 64-bit key to a non-zero int, for the fast scorer's n-gram look-ups: one
/// multiply finds the slot, and the key and value sit side by side, so a look-up usually reads one cache line
/// where a <see cref="Dictionary{TKey, TValue}"/> reads its bucket, its entry and, for strings, the key's characters.
/// Filled once at load and only read afterwards, so any number of threads may read it.
/// </summary>
internal sealed class NgramTable
{
    private readonly Entry[] _entries;
    private readonly int _shift;
    private readonly int _mask;

    public NgramTable(IReadOnlyCollection<KeyValuePair<ulong, int>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var bits = SlotBits(pairs.Count);
        _entries = new Entry[1 << bits];
        _shift = 64 - bits;
        _mask = _entries.Length - 1;
        foreach (var (key, value) in pairs)
        {
            if (value == 0)
            {
                throw new ArgumentException("Zero marks an empty slot.", nameof(pairs));
            }
            var i = Slot(key);
            while (_entries[i].Value != 0)
            {
                if (_entries[i].Key == key)
                {
                    throw new ArgumentException($"The key {key} appears twice.", nameof(pairs));
                }
                i = (i + 1) & _mask;
            }
            _entries[i] = new Entry(key, value);
        }
    }

    public long Bytes => _entries.Length * (long)Unsafe.SizeOf<Entry>();

    /// <summary>The value stored for the key, 0 when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong key)
    {
        ref var first = ref MemoryMarshal.GetArrayDataReference(_entries);
        var i = Slot(key);
        while (true)
        {
            ref var entry = ref Unsafe.Add(ref first, i);
            if (entry.Key == key || entry.Value == 0)
            {
                return entry.Value;
            }
            i = (i + 1) & _mask;
        }
    }

    /// <summary>Enough slots to be at most half full: a miss, the common case for long n-grams, ends at the first empty slot.</summary>
    internal static int SlotBits(int count) => Math.Max(4, 64 - (int)ulong.LeadingZeroCount((ulong)Math.Max(1, count) * 2));

    /// <summary>Fibonacci hashing: the top bits of the key times 2^64/φ, which spreads packed characters well.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Entry(ulong Key, int Value);
}

/// <summary>
/// An open-addressing map from a word to a non-zero int, looked up by a span of the normalised text without
/// making a string. The word's 64-bit hash finds the slot and is compared first, so the characters are read only
/// for the word that is there.
/// </summary>
internal sealed class WordTable
{
    private readonly ulong[] _hashes;
    private readonly int[] _values;
    private readonly string[] _words;
    private readonly int _shift;
    private readonly int _mask;

    public WordTable(IReadOnlyCollection<KeyValuePair<string, int>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var bits = NgramTable.SlotBits(pairs.Count);
        _hashes = new ulong[1 << bits];
        _values = new int[1 << bits];
        _words = new string[1 << bits];
        _shift = 64 - bits;
        _mask = _values.Length - 1;
        foreach (var (word, value) in pairs)
        {
            if (value == 0)
            {
                throw new ArgumentException("Zero marks an empty slot.", nameof(pairs));
            }
            var hash = Hash(word);
            var i = (int)(hash >> _shift);
            while (_values[i] != 0)
            {
                i = (i + 1) & _mask;
            }
            _hashes[i] = hash;
            _values[i] = value;
            _words[i] = word;
        }
    }

    /// <summary>The slots, not counting the words' own characters.</summary>
    public long Bytes => _values.Length * (long)(sizeof(ulong) + sizeof(int) + IntPtr.Size);

    /// <summary>The value stored for the word, 0 when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Find(ReadOnlySpan<char> word)
    {
        var hash = Hash(word);
        var i = (int)(hash >> _shift);
        while (true)
        {
            var value = _values[i];
            if (value == 0 || (_hashes[i] == hash && word.SequenceEqual(_words[i])))
            {
                return value;
            }
            i = (i + 1) & _mask;
        }
    }

    /// <summary>Four characters at a time, each step mixed by a multiply; the top bits pick the slot.</summary>
    private static ulong Hash(ReadOnlySpan<char> word)
    {
        var hash = (ulong)word.Length * 0x9E3779B97F4A7C15UL;
        var blocks = MemoryMarshal.Cast<char, ulong>(word);
        foreach (var block in blocks)
        {
            hash = (BitOperations.RotateLeft(hash, 23) ^ block) * 0x9E3779B97F4A7C15UL;
        }
        for (var i = blocks.Length * 4; i < word.Length; i++)
        {
            hash = (BitOperations.RotateLeft(hash, 23) ^ word[i]) * 0x9E3779B97F4A7C15UL;
        }
        return hash ^ (hash >> 29);
    }
}
