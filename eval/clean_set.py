"""Text with no personal data, for the over-redaction figure: technical
questions, pasted code and logs, and ordinary chat, including the things that
look like personal data and are not (a city in a travel question, companies
and products, code identifiers, versions, dates, amounts, hashes, UUIDs,
documentation e-mails and IPs, private IPs). Any character redacted here is
over-redaction. Fixed texts plus seeded combinations; no other randomness.

Names of real people, public figures included, are personal data and are
redacted by design, so no text here names one.
"""

from __future__ import annotations

import random

SEED = 3141

TEXTS = [
    "How do I reverse a list in Python? I tried `lst[::-1]` and sorted(lst, reverse=True).",
    "What's the difference between a process and a thread in Linux?",
    "Explain the CAP theorem like I'm five.",
    "Can you summarise the plot of Pride and Prejudice in three sentences?",
    "Write a haiku about autumn rain.",
    "What is the capital of Australia, and why isn't it Sydney?",
    "Is it better to rent or buy a house when interest rates are above 6%?",
    "My code throws `TypeError: 'NoneType' object is not subscriptable` on line 42.",
    "```python\nclass UserRepository:\n    def __init__(self, session):\n        self.session = session\n\n"
    "    def find_by_email(self, email: str):\n        return self.session.query(User)"
    ".filter_by(email=email).one_or_none()\n```\nHow do I make this async?",
    "```js\nconst server = app.listen(3000, () => console.log('listening on 3000'));\n```",
    "```bash\ncurl -s http://localhost:8080/health && docker compose up -d postgres redis\n```",
    "The container can't reach 192.168.1.20 from 172.17.0.2, but 127.0.0.1 works.",
    "In the docs they use admin@example.com and 203.0.113.5 as examples.",
    "Upgrade from Django 4.2.11 to 5.0.3 broke my migrations.",
    "The build hash is 9f2c4e6a8b0d1f3e5a7c9b2d4f6e8a0c1d3e5f70 and the request id is "
    "3f1c9a52-7b4e-4c1d-9e2f-0a8b6c4d2e10.",
    "Meeting moved to 2024-06-14 at 15:30 CET; budget is $12,500.00 for Q3.",
    "Compare Microsoft Teams, Slack and Zoom for a 40-person company.",
    "Should I learn Rust or Go in 2025 for backend work at Google or Amazon?",
    "Is Visual Studio Code or JetBrains PyCharm better for Django?",
    "Translate 'good morning, how are you?' into Spanish and German.",
    "What's the best way to spend 48 hours in Tokyo in November?",
    "Plan a 5-day road trip from San Francisco to Los Angeles along Highway 1.",
    "Is Barcelona or Madrid better for a first trip to Spain?",
    "My flight from Frankfurt to New York was cancelled; what are my rights under EU261?",
    "Convert 350 degrees Fahrenheit to Celsius.",
    "SELECT id, name FROM customers WHERE created_at > '2024-01-01' ORDER BY id LIMIT 50;",
    "    for i in range(10):\n        print(i * i)\n\nWhy does this print squares?",
    "git rebase -i HEAD~3 keeps failing with 'could not apply 1a2b3c4'.",
    "Set `OPENAI_API_KEY=sk-...` in your shell before running the script.",
    'api_key = os.environ["OPENAI_API_KEY"]',
    "Kubernetes pod stuck in CrashLoopBackOff after upgrading to 1.29.2; events show OOMKilled.",
    "What's a good recipe for vegetarian lasagna for 6 people?",
    "How many calories are in a banana?",
    "Thanks, that worked! Can you also add error handling?",
    "Please make the tone more formal and cut it to 100 words.",
    "Why is the sky blue?",
    "Write a limerick about a cat who loves Mondays.",
    "What does HTTP 418 mean?",
    "Our ISBN is 978-3-16-148410-0; is the check digit right?",
    "The order total was EUR 1.249,99 including 19% VAT.",
    "Call me when you can, no rush.",
    "Version 3.11.4 of Python fixed the bug; 3.11.3 still has it.",
    "Port 5432 is open on the database host but psql hangs.",
    "My phone battery drains fast since iOS 17.4, any tips?",
    "Can Apple Pay be used in Japan?",
    "Is Amazon Prime worth it for two people?",
]

TOPICS = (
    "sorting algorithms",
    "Docker networking",
    "React hooks",
    "Kafka consumer groups",
    "TLS certificates",
    "pandas groupby",
    "CSS grid",
    "Rust lifetimes",
)
CITIES = (
    "Lisbon",
    "Kyoto",
    "Reykjavik",
    "Marrakech",
    "Vancouver",
    "Prague",
    "Edinburgh",
    "Cape Town",
    "Seoul",
    "Oaxaca",
)
COMPANIES = (
    "Stripe",
    "Shopify",
    "Atlassian",
    "Spotify",
    "Siemens",
    "Toyota",
    "Nestlé",
    "Salesforce",
)
# Products and companies kept out of the PII config's allow-list on purpose,
# so the figure also shows what happens to names the list does not know.
UNLISTED = (
    "Tableau",
    "Asana",
    "Zapier",
    "Airtable",
    "Dropbox",
    "Trello",
    "Heroku",
    "Vercel",
    "Supabase",
    "Snowflake",
    "Databricks",
    "Datadog",
    "Cloudflare",
    "Twilio",
    "Okta",
    "Zendesk",
    "HubSpot",
    "Canva",
    "Miro",
    "Mailchimp",
)


def build_texts(seed: int = SEED) -> list[str]:
    """The fixed texts and seeded combinations of topics, cities and companies."""
    rng = random.Random(seed)
    generated = []
    for _ in range(40):
        name = rng.choice(UNLISTED)
        generated.append(
            rng.choice(
                (
                    f"Is {name} worth it for a small team?",
                    f"How do I export my data from {name}?",
                    f"{name} keeps logging me out, any idea why?",
                    f"Compare {name} and {rng.choice(UNLISTED)} for a startup.",
                )
            )
        )
    for _ in range(60):
        generated.append(
            rng.choice(
                (
                    f"Explain {rng.choice(TOPICS)} with a short example.",
                    f"What's the weather like in {rng.choice(CITIES)} in {rng.choice(('May', 'October'))}?",
                    f"Is it safe to travel alone to {rng.choice(CITIES)}? Any neighbourhoods to avoid?",
                    f"How does {rng.choice(COMPANIES)} make money?",
                    f"Write a cover letter for a data analyst job at {rng.choice(COMPANIES)}.",
                    f"```python\ndef {rng.choice(('parse_config', 'load_users', 'send_report'))}(path):\n"
                    f"    with open(path) as fh:\n        return json.load(fh)\n```\nAdd type hints.",
                )
            )
        )
    return TEXTS + generated
