"""Whisper's word list: a word split at a hyphen or a dot is one word again."""

from coach.engines.whisper_words import whisper_words


def raw(word: str, start: float, end: float, probability: float = 0.9) -> dict:
    return {"word": word, "start": start, "end": end, "probability": probability}


def test_a_word_without_a_space_before_it_joins_the_word_before():
    words = whisper_words([raw(" rather", 0.0, 0.4), raw(" cold", 0.4, 0.7),
                           raw("-hearted", 0.7, 1.1, 0.6), raw(" and", 1.2, 1.3)], offset=10.0)
    assert [w.text for w in words] == ["rather", "cold-hearted", "and"]
    joined = words[1]
    assert (joined.start, joined.end, joined.probability) == (10.4, 11.1, 0.6)


def test_a_dotted_file_name_is_one_word_and_spaced_words_stay_apart():
    words = whisper_words([raw(" set", 0.0, 0.2), raw(" io", 0.2, 0.4), raw(".max", 0.4, 0.8),
                           raw(" now.", 0.9, 1.1)], offset=0.0)
    assert [w.text for w in words] == ["set", "io.max", "now."]


def test_the_first_word_and_blank_words():
    words = whisper_words([raw("Hello", 0.0, 0.3), raw(" ", 0.3, 0.3), raw(" there", 0.4, 0.2)],
                          offset=0.0)
    assert [w.text for w in words] == ["Hello", "there"]
    assert words[1].end == words[1].start == 0.4  # an end before the start is clamped
