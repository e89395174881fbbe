// Built-in word lists for the demo world: names, places and bio parts, in English and German.
// Everything is invented; any resemblance to real accounts is chance.

export const ENGLISH_FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Elijah", "Isabella", "James",
  "Mia", "William", "Amelia", "Benjamin", "Harper", "Lucas", "Evelyn", "Henry", "Abigail", "Theo",
  "Emily", "Jack", "Ella", "Owen", "Grace", "Samuel", "Chloe", "Daniel", "Zoe", "Leo", "Nora",
  "Gabriel", "Lily", "Caleb", "Hannah", "Isaac", "Aria", "Ethan", "Ruby", "Ryan", "Maya", "Nathan",
  "Priya", "Arjun", "Aisha", "Omar", "Mei", "Kenji", "Sofia", "Mateo", "Fatima", "Tariq", "Naomi",
  "Marcus", "Imani", "Jasmine", "Rosa", "Diego", "Lucy", "Sam", "Alex", "Jordan", "Taylor", "Robin",
  "Kai", "Ivy", "Felix", "Hazel", "Jude", "Iris", "Elliot", "Freya", "Rowan", "Poppy", "Ezra",
] as const;

export const ENGLISH_LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson",
  "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
  "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Carter", "Roberts",
  "Patel", "Nguyen", "Kim", "Chen", "Okafor", "Haddad", "Novak", "Rossi", "Silva", "Khan", "Murphy",
  "Kelly", "Brooks", "Hughes", "Price", "Bennett", "Wood", "Barnes", "Fisher", "Ellis", "Reed",
  "Hayes", "Foster", "Graham", "Sullivan", "Russell", "Ortiz", "Tanaka", "Sato", "Dubois", "Costa",
] as const;

export const GERMAN_FIRST_NAMES = [
  "Anna", "Lena", "Leonie", "Marie", "Lea", "Laura", "Julia", "Katharina", "Johanna", "Sophie",
  "Hannah", "Clara", "Charlotte", "Paula", "Greta", "Ida", "Frieda", "Mila", "Emilia", "Luisa",
  "Jana", "Sabine", "Petra", "Ute", "Birgit", "Monika", "Anja", "Katrin", "Svenja", "Merle",
  "Lukas", "Jonas", "Leon", "Finn", "Paul", "Elias", "Felix", "Maximilian", "Moritz", "Tobias",
  "Jan", "Niklas", "Tim", "Julian", "Philipp", "Sebastian", "Florian", "Matthias", "Stefan",
  "Thomas", "Michael", "Andreas", "Markus", "Jürgen", "Uwe", "Dirk", "Henrik", "Malte", "Jannik",
  "Ole", "Till", "Lars", "Bastian", "Fabian", "Benedikt", "Konstantin", "Anton", "Emil", "Karl",
] as const;

export const GERMAN_LAST_NAMES = [
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
  "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
  "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner",
  "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann",
  "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller",
  "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
  "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig",
  "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto",
] as const;

export const ENGLISH_CITIES = [
  "London", "Manchester", "Bristol", "Edinburgh", "Glasgow", "Dublin", "Cork", "Leeds", "Brighton",
  "Toronto", "Montreal", "Vancouver", "Seattle", "Portland", "Chicago", "Boston", "Austin",
  "Melbourne", "Sydney", "Wellington", "Cape Town", "Amsterdam", "Lisbon", "Copenhagen", "Oslo",
] as const;

export const GERMAN_CITIES = [
  "Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig",
  "Dresden", "Hannover", "Nürnberg", "Bremen", "Freiburg", "Heidelberg", "Münster", "Kiel",
  "Rostock", "Potsdam", "Jena", "Erfurt", "Mainz", "Würzburg", "Göttingen", "Bonn", "Wien", "Zürich",
] as const;

export const ENGLISH_ROLES = [
  "Software engineer", "Nurse", "Primary school teacher", "Graphic designer", "PhD student",
  "Product manager", "Baker", "Librarian", "Illustrator", "Data scientist", "Carpenter",
  "Paramedic", "Journalist", "Architect", "Barista", "Translator", "UX researcher", "Physicist",
  "Gardener", "Bike mechanic", "Musician", "Photographer", "Chef", "Student", "Retired engineer",
  "Open source maintainer", "Civil servant", "Midwife", "Pharmacist", "Film editor",
] as const;

/** Gender-neutral on purpose: German job titles are gendered, the invented names are random. */
export const GERMAN_ROLES = [
  "Entwickle Software", "Unterrichte an einer Grundschule", "Backe Brot, beruflich", "Repariere Fahrräder",
  "Studiere Physik", "Schreibe für eine Lokalzeitung", "Übersetze Bücher", "Plane Häuser", "Arbeite im Krankenhaus",
  "Fotografiere Hochzeiten", "Koche in einem kleinen Restaurant", "Mache Musik", "Gärtnere, auch beruflich",
  "Im Ruhestand", "Arbeite in der Stadtverwaltung", "Betreue eine Bibliothek", "Promoviere über Moose",
  "Baue Möbel aus Altholz", "Analysiere Daten", "Arbeite in der Pflege",
] as const;

export const ENGLISH_INTERESTS = [
  "coffee", "cycling", "books", "photography", "sourdough", "climbing", "jazz", "board games",
  "birdwatching", "bad puns", "houseplants", "open source", "trail running", "sci-fi", "tea",
  "knitting", "synths", "football", "urban planning", "privacy", "cats", "dogs", "film cameras",
  "ceramics", "chess", "gardening", "vintage maps", "astronomy", "cooking", "hiking",
] as const;

export const GERMAN_INTERESTS = [
  "Kaffee", "Radfahren", "Bücher", "Fotografie", "Sauerteig", "Klettern", "Jazz", "Brettspiele",
  "Vögel", "Wortspiele", "Zimmerpflanzen", "Open Source", "Laufen", "Science-Fiction", "Tee",
  "Stricken", "Synthesizer", "Fußball", "Stadtplanung", "Datenschutz", "Katzen", "Hunde",
  "Analogfotografie", "Töpfern", "Schach", "Gärtnern", "Wandern", "Kochen", "Astronomie",
] as const;

export const ENGLISH_TAGLINES = [
  "Opinions my own.", "Mostly harmless.", "Here for the good timeline.", "Probably outside.",
  "Trying to post more and scroll less.", "Slow replies, good intentions.", "Ask me about my plants.",
  "Powered by coffee.", "Learning something new every week.", "Still figuring it out.",
  "Will talk about trains for hours.", "No hot takes, only warm ones.", "",
] as const;

export const GERMAN_TAGLINES = [
  "Meinung ist meine eigene.", "Meistens draußen.", "Lieber langsam als gar nicht.",
  "Hier für die gute Timeline.", "Kaffee first.", "Lerne jede Woche etwas Neues.",
  "Antworte langsam, aber sicher.", "Fragt mich nach meinen Pflanzen.", "Immer auf dem Rad.", "",
] as const;

export const HANDLE_HOBBY_SUFFIXES = [
  "bakes", "codes", "reads", "runs", "draws", "cooks", "climbs", "writes", "plays", "rides",
  "knits", "builds", "hikes", "paints", "liest", "kocht", "radelt", "backt", "schreibt",
] as const;

export const DISPLAY_NAME_EMOJI = ["🌻", "☕", "🚲", "📚", "🌿", "🎧", "🏔️", "🐈", "🌊", "✨", "🧶", "📷"] as const;


export const WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export const WEEKDAYS_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"] as const;

export const EMOJI = ["☕", "🌧️", "🚲", "📚", "🎉", "😅", "🙃", "🌱", "🔥", "💡", "🥐", "🎶", "😴", "🙌", "☀️", "🍂"] as const;
