// What the demo world talks about: topics with post templates in English and German. Slots:
// {thing} a word of the topic, {city}, {n} a small number, {weekday}, {emoji}, {tag} an inline
// hashtag of the topic, {mention} an @handle of someone the author follows.

export interface Topic {
  id: string;
  tags: { en: readonly string[]; de: readonly string[] };
  things: { en: readonly string[]; de: readonly string[] };
  posts: { en: readonly string[]; de: readonly string[] };
}

export const TOPICS: readonly Topic[] = [
  {
    id: "coffee",
    tags: { en: ["coffee", "CoffeeTime", "espresso"], de: ["Kaffee", "kaffeepause", "espresso"] },
    things: {
      en: ["flat white", "pour-over", "cortado", "cold brew", "V60", "moka pot"],
      de: ["Cappuccino", "Filterkaffee", "Espresso", "Cold Brew", "Siebträger"],
    },
    posts: {
      en: [
        "Coffee count today: {n}. This is fine. {emoji}",
        "Tried a new {thing} place near the station. Worth the detour.",
        "Dialled in the {thing} at last. 18 g in, 36 g out, pure joy. {tag}",
        "Nothing beats the first {thing} on a quiet {weekday} morning.",
        "Coffee with {mention} before work, best start to the week.",
      ],
      de: [
        "Kaffee Nummer {n} heute. Alles im grünen Bereich. {emoji}",
        "Neues Café in {city} entdeckt, der {thing} ist großartig.",
        "Endlich den {thing} richtig eingestellt. {tag}",
        "Erster {thing} am {weekday}morgen, sonst nichts. Herrlich.",
      ],
    },
  },
  {
    id: "cycling",
    tags: { en: ["cycling", "bikecommute", "BikeLife"], de: ["Radfahren", "fahrrad", "Verkehrswende"] },
    things: {
      en: ["gravel bike", "cargo bike", "rain jacket", "new bike lane", "chain", "headwind"],
      de: ["Lastenrad", "Gravelbike", "Radweg", "Gegenwind", "Kette", "Regenjacke"],
    },
    posts: {
      en: [
        "Rode {n}0 km this morning along the river. Legs are complaining, brain is happy.",
        "The {thing} on my commute finally opened and it is glorious. {tag}",
        "Reminder: the {thing} is a state of mind. {emoji}",
        "Who else fixes their {thing} on the balcony at 11 pm? Just me?",
        "Weekend ride with {mention}: {n}0 km, two bakeries, zero punctures.",
      ],
      de: [
        "Heute {n}0 km mit dem Rad, davon die Hälfte gegen den {thing}. {emoji}",
        "Der neue {thing} in {city} ist wirklich gut geworden. {tag}",
        "Mit {mention} eine Runde ums Umland gedreht, zwei Bäckereien inklusive.",
        "Wer braucht schon ein Auto, wenn man ein {thing} hat?",
      ],
    },
  },
  {
    id: "books",
    tags: { en: ["books", "amreading", "BookTok"], de: ["Bücher", "lesen", "Buchtipp"] },
    things: {
      en: ["sci-fi novel", "short story collection", "biography", "mystery", "graphic novel", "poetry book"],
      de: ["Roman", "Krimi", "Sachbuch", "Comic", "Gedichtband", "Science-Fiction-Roman"],
    },
    posts: {
      en: [
        "Just finished a {thing} I could not put down. Recommendations for what comes next?",
        "Library haul: {n} books, which I will absolutely read before they are due. {emoji}",
        "Reading in the park until the sun goes down. {tag}",
        "{mention} was right about that {thing}. I owe you a coffee.",
        "Book club on {weekday}: we argued for two hours about the ending. Perfect evening.",
      ],
      de: [
        "Gerade einen {thing} beendet, den ich nicht weglegen konnte. Was lese ich als Nächstes?",
        "Bibliotheksausbeute: {n} Bücher. Das schaffe ich locker. {emoji}",
        "Lesekreis am {weekday}, zwei Stunden über das Ende diskutiert. {tag}",
        "{mention} hatte recht mit dem {thing}. Danke für den Tipp!",
      ],
    },
  },
  {
    id: "photography",
    tags: { en: ["photography", "filmisnotdead", "streetphotography"], de: ["Fotografie", "analog", "Fotowalk"] },
    things: {
      en: ["35mm lens", "film roll", "old rangefinder", "golden hour", "tripod"],
      de: ["Festbrennweite", "Filmrolle", "Messsucherkamera", "Abendlicht", "Stativ"],
    },
    posts: {
      en: [
        "Got the {thing} back from the lab. {n} keepers out of 36, a personal best. {tag}",
        "The light in {city} tonight was unreal. {emoji}",
        "Photo walk with {mention} on {weekday}, who is in?",
        "Hot take: the best camera is the one you forget you are carrying.",
      ],
      de: [
        "Die {thing} ist aus dem Labor zurück: {n} gute Bilder von 36. {tag}",
        "Das Licht in {city} heute war unglaublich. {emoji}",
        "Fotowalk mit {mention} am {weekday}, wer kommt mit?",
      ],
    },
  },
  {
    id: "baking",
    tags: { en: ["sourdough", "baking", "breadtok"], de: ["Sauerteig", "backen", "Brot"] },
    things: {
      en: ["sourdough loaf", "cinnamon rolls", "focaccia", "croissants", "rye bread", "starter"],
      de: ["Sauerteigbrot", "Zimtschnecken", "Focaccia", "Croissants", "Roggenbrot", "Anstellgut"],
    },
    posts: {
      en: [
        "Baked {thing} for the first time. The kitchen is a disaster, the result is not. {emoji}",
        "My {thing} is {n} years old and has outlived two houseplants. {tag}",
        "{weekday} is bake day. Today: {thing}.",
        "Dropping off {thing} at {mention}'s place later, do not tell the others.",
      ],
      de: [
        "Zum ersten Mal {thing} gebacken. Küche verwüstet, Ergebnis fantastisch. {emoji}",
        "Mein {thing} ist {n} Jahre alt und lebt immer noch. {tag}",
        "{weekday} ist Backtag: heute gibt es {thing}.",
      ],
    },
  },
  {
    id: "code",
    tags: { en: ["programming", "opensource", "TypeScript", "postgres"], de: ["programmieren", "OpenSource", "Softwareentwicklung"] },
    things: {
      en: ["race condition", "off-by-one", "timezone", "flaky test", "memory leak", "cache invalidation", "regex"],
      de: ["Race Condition", "Off-by-one-Fehler", "Zeitzonen-Bug", "flaky Test", "Speicherleck", "Regex"],
    },
    posts: {
      en: [
        "Finally fixed that {thing} bug. It was the {thing} all along. Of course. {emoji}",
        "Spent {n} hours on a one-line fix. Worth it. {tag}",
        "Today I learned that EXPLAIN ANALYZE does not lie, I do. {tag}",
        "Pairing with {mention} on the {thing} today, wish us luck.",
        "Reviewing PRs on a {weekday} afternoon with a big pot of tea. Peak happiness.",
        "Friendly reminder to write the test before you fix the {thing}.",
      ],
      de: [
        "Endlich den {thing} gefunden. Nach {n} Stunden. {emoji}",
        "Heute mit {mention} an einem {thing} gesessen. Wir haben gewonnen. {tag}",
        "Erinnerung an mich selbst: erst den Test schreiben, dann den {thing} fixen.",
        "Code-Review am {weekday}nachmittag mit Tee. Das Leben ist schön.",
      ],
    },
  },
  {
    id: "music",
    tags: { en: ["music", "vinyl", "nowplaying"], de: ["Musik", "Schallplatte", "nowplaying"] },
    things: {
      en: ["jazz record", "synth", "live album", "vinyl", "bassline", "mixtape"],
      de: ["Jazzplatte", "Synthesizer", "Livealbum", "Schallplatte", "Basslinie", "Playlist"],
    },
    posts: {
      en: [
        "Found a {thing} at the flea market for 3 euros and it is flawless. {tag}",
        "Concert in {city} last night. Ears still ringing, heart very full. {emoji}",
        "{mention} sent me a {thing} and I have played it {n} times since breakfast.",
        "{weekday} soundtrack: rain on the window and an old {thing}.",
      ],
      de: [
        "Auf dem Flohmarkt eine {thing} für 3 Euro gefunden. {tag}",
        "Konzert in {city} gestern. Ohren klingeln noch. {emoji}",
        "{mention} hat mir eine {thing} geschickt, schon {n} Mal gehört.",
      ],
    },
  },
  {
    id: "hiking",
    tags: { en: ["hiking", "outdoors", "mountains"], de: ["Wandern", "draußen", "Berge"] },
    things: { en: ["ridge trail", "summit", "mountain hut", "lake", "forest path", "valley"], de: ["Gratweg", "Gipfel", "Hütte", "Bergsee", "Waldweg", "Tal"] },
    posts: {
      en: [
        "{n}00 metres of climbing before lunch, then the {thing} all to ourselves. {tag}",
        "Rain all morning, then this {thing}. Worth every wet sock. {emoji}",
        "Planning a hut-to-hut trip with {mention}. Send your best {thing} tips.",
      ],
      de: [
        "{n}00 Höhenmeter vor dem Mittag, dann der {thing} ganz für uns. {tag}",
        "Den ganzen Morgen Regen, dann dieser {thing}. {emoji}",
        "Mit {mention} eine Hüttentour geplant. Tipps für den {thing}?",
      ],
    },
  },
  {
    id: "football",
    tags: { en: ["football", "matchday"], de: ["Fußball", "Bundesliga", "Spieltag"] },
    things: {
      en: ["last-minute equaliser", "penalty", "away win", "offside call", "derby"],
      de: ["Ausgleich in der Nachspielzeit", "Elfmeter", "Auswärtssieg", "Abseitsentscheidung", "Derby"],
    },
    posts: {
      en: [
        "That {thing}. I have no voice left. {emoji}",
        "Watching the {thing} with {mention} on {weekday}, snacks are on me. {tag}",
        "Still not over that {thing} from {n} weeks ago.",
      ],
      de: [
        "Dieser {thing}! Keine Stimme mehr. {emoji} {tag}",
        "{weekday}abend {thing} mit {mention}, ich bringe die Brezeln mit.",
        "Ich bin immer noch nicht über den {thing} von vor {n} Wochen hinweg.",
      ],
    },
  },
  {
    id: "garden",
    tags: { en: ["gardening", "houseplants", "plants"], de: ["Garten", "Zimmerpflanzen", "Balkongarten"] },
    things: {
      en: ["tomatoes", "monsteras", "basil plants", "sunflowers", "chillies", "succulents"],
      de: ["Tomaten", "Monsteras", "Basilikumpflanzen", "Sonnenblumen", "Chilis", "Sukkulenten"],
    },
    posts: {
      en: [
        "The {thing} are finally doing something. {n} new leaves this week! {emoji}",
        "Swapped cuttings with {mention}. The {thing} situation is out of control. {tag}",
        "{weekday} plan: repot everything, get soil everywhere, be happy.",
      ],
      de: [
        "Die {thing} wachsen endlich: {n} neue Blätter diese Woche! {emoji}",
        "Ableger mit {mention} getauscht. Die {thing} werden langsam zum Dschungel. {tag}",
        "Plan für {weekday}: alles umtopfen, überall Erde, glücklich sein.",
      ],
    },
  },
  {
    id: "pets",
    tags: { en: ["pets", "petsofhearth"], de: ["Haustiere", "Tierliebe"] },
    things: { en: ["cat", "dog", "kitten", "old dog", "foster cat"], de: ["Katze", "Hund", "Kater", "Pflegekatze", "Welpe"] },
    posts: {
      en: [
        "The {thing} has claimed my chair again. I work from the floor now. {emoji}",
        "Our {thing} just learned to open the fridge. We are doomed. {tag}",
        "{mention} asked for {thing} pictures. I have {n}00. Brace yourself.",
      ],
      de: [
        "Die {thing} hat meinen Stuhl erobert. Ich arbeite jetzt auf dem Boden. {emoji}",
        "Unser {thing} kann jetzt den Kühlschrank öffnen. {tag}",
        "{mention} wollte Bilder vom {thing}. Ich habe {n}00 Stück.",
      ],
    },
  },
  {
    id: "city",
    tags: { en: ["urbanism", "publictransport", "trains"], de: ["Stadtplanung", "ÖPNV", "Bahn"] },
    things: {
      en: ["night train", "tram line", "car-free street", "new park", "bus lane"],
      de: ["Nachtzug", "Straßenbahn", "autofreie Straße", "neuer Park", "Busspur"],
    },
    posts: {
      en: [
        "Took the {thing} to {city}. Slept like a baby, woke up somewhere new. {tag}",
        "The {thing} outside our flat changed the whole neighbourhood. Kids everywhere. {emoji}",
        "My train was {n}0 minutes late and I finished a whole book. Net positive.",
      ],
      de: [
        "Mit dem {thing} nach {city}. Eingeschlafen, woanders aufgewacht. {tag}",
        "Der Zug nach {city} hat mal wieder {n}0 Minuten Verspätung. {emoji}",
        "Die {thing} vor unserer Tür hat das ganze Viertel verändert.",
      ],
    },
  },
  {
    id: "privacy",
    tags: { en: ["privacy", "noads", "encryption"], de: ["Datenschutz", "Privatsphäre", "Verschlüsselung"] },
    things: {
      en: ["tracking pixel", "cookie banner", "end-to-end encryption", "data export", "ad profile"],
      de: ["Tracking-Pixel", "Cookie-Banner", "Ende-zu-Ende-Verschlüsselung", "Datenexport", "Werbeprofil"],
    },
    posts: {
      en: [
        "Downloaded my {thing} here and it was boring in the best possible way. {tag}",
        "Counted {n} third-party requests on a news site today. Here: zero. {emoji}",
        "Explained {thing} to my parents with two envelopes and a padlock. Nailed it.",
      ],
      de: [
        "Meinen {thing} hier heruntergeladen: herrlich langweilig. {tag}",
        "Heute {n} Drittanbieter-Anfragen auf einer Nachrichtenseite gezählt. Hier: null. {emoji}",
        "Meinen Eltern {thing} mit zwei Briefumschlägen erklärt. Hat geklappt.",
      ],
    },
  },
  {
    id: "food",
    tags: { en: ["cooking", "foodie", "recipes"], de: ["Kochen", "Rezept", "lecker"] },
    things: {
      en: ["ramen", "lasagne", "dal", "curry", "dumplings", "risotto"],
      de: ["Käsespätzle", "Linsensuppe", "Curry", "Maultaschen", "Risotto", "Flammkuchen"],
    },
    posts: {
      en: [
        "Made {thing} from scratch tonight. {n} hours well spent. {emoji}",
        "{mention}'s {thing} recipe never fails. {tag}",
        "What is your go-to {weekday} dinner? Mine is {thing}, no contest.",
      ],
      de: [
        "Heute {thing} selbst gemacht. {n} Stunden, jede Minute wert. {emoji}",
        "Das {thing}-Rezept von {mention} klappt einfach immer. {tag}",
        "Was gibt es bei euch am {weekday}? Hier: {thing}.",
      ],
    },
  },
  {
    id: "science",
    tags: { en: ["science", "astronomy", "space"], de: ["Wissenschaft", "Astronomie", "Sterne"] },
    things: { en: ["meteor shower", "Saturn", "the Moon", "a comet", "the ISS"], de: ["Sternschnuppen", "Saturn", "den Mond", "einen Kometen", "die ISS"] },
    posts: {
      en: [
        "Saw {thing} through the little telescope tonight. Still gives me chills. {emoji}",
        "Clear skies on {weekday}, perfect for {thing}. {tag}",
        "{mention} and I counted {n}0 shooting stars. Wishes were made.",
      ],
      de: ["Heute Nacht {thing} durchs Teleskop gesehen. Gänsehaut. {emoji}", "Klarer Himmel am {weekday}, perfekt für {thing}. {tag}"],
    },
  },
  {
    id: "games",
    tags: { en: ["boardgames", "chess", "gamenight"], de: ["Brettspiele", "Spieleabend", "Schach"] },
    things: {
      en: ["board game", "strategy game", "co-op game", "card game", "puzzle"],
      de: ["Brettspiel", "Strategiespiel", "Kooperationsspiel", "Kartenspiel", "Puzzle"],
    },
    posts: {
      en: [
        "Game night: {n} players, one {thing}, zero friendships lost. Barely. {tag}",
        "Learning a new {thing} and losing every game. Character building. {emoji}",
        "{mention} beat me at chess again. Rematch on {weekday}.",
      ],
      de: [
        "Spieleabend: {n} Leute, ein {thing}, alle Freundschaften intakt. Knapp. {tag}",
        "{mention} hat mich schon wieder im Schach geschlagen. Revanche am {weekday}.",
      ],
    },
  },
  {
    id: "life",
    tags: { en: ["mondaymotivation", "smallwins", "weekend"], de: ["Wochenende", "Alltag", "kleineFreuden"] },
    things: {
      en: ["to-do list", "inbox", "laundry pile", "sunny balcony", "long walk"],
      de: ["To-do-Liste", "Posteingang", "Wäscheberg", "Balkon in der Sonne", "Spaziergang"],
    },
    posts: {
      en: [
        "Small win: the {thing} is empty. Do not ask about the rest. {emoji}",
        "{weekday} mood: {thing}, tea, nothing else.",
        "Thanks {mention} for the chat today, exactly what I needed.",
        "It is {weekday} and I have already had {n} good ideas and zero time for them.",
        "Grateful for the {thing} today. {tag}",
      ],
      de: [
        "Kleiner Erfolg: {thing} erledigt. Den Rest fragt bitte nicht. {emoji}",
        "{weekday}stimmung: {thing}, Tee, sonst nichts.",
        "Danke {mention} für das Gespräch heute, genau das Richtige.",
        "Dankbar für den {thing} heute. {tag}",
      ],
    },
  },
];

export const REPLY_TEMPLATES = {
  en: [
    "Totally agree.",
    "Haha, same here!",
    "Where was this?",
    "This made my day.",
    "Thanks for sharing!",
    "Congrats! 🎉",
    "Oh no, hope it gets better.",
    "I had exactly the same problem last week.",
    "Saving this for later.",
    "Wait, how did you do that?",
    "100%.",
    "Not sure I agree, but I see your point.",
    "Tell me more!",
    "Love this.",
    "That is brilliant.",
    "Can confirm.",
    "Same, every single time.",
    "You have to try the one in {city} next.",
    "Ha! Classic {weekday}.",
    "I need details.",
  ],
  de: [
    "Stimmt genau.",
    "Haha, geht mir genauso!",
    "Wo war das?",
    "Das hat meinen Tag gerettet.",
    "Danke fürs Teilen!",
    "Glückwunsch! 🎉",
    "Oh nein, gute Besserung!",
    "Hatte letzte Woche das gleiche Problem.",
    "Merke ich mir.",
    "Wie hast du das gemacht?",
    "Absolut.",
    "Sehe ich etwas anders, aber verstehe den Punkt.",
    "Erzähl mehr!",
    "Wunderbar.",
    "Kann ich bestätigen.",
    "Musst du unbedingt mal in {city} probieren.",
  ],
} as const;

export const QUOTE_TEMPLATES = {
  en: ["This 👇", "So much this.", "Worth reading.", "Couldn't have said it better.", "Yes! {emoji}", "Adding to the list.", "Look at this!"],
  de: ["Genau das.", "Lesenswert.", "Besser kann man es nicht sagen.", "Ja! {emoji}", "Unbedingt anschauen!"],
} as const;

export const CONTENT_WARNINGS = {
  en: ["spoilers", "food", "politics", "eye contact", "loud opinions"],
  de: ["Spoiler", "Essen", "Politik", "Meinung"],
} as const;
