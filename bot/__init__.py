"""Saylau's core: plain Python that knows Kazakhstan's elections, with no Telegram code
outside :mod:`bot.telegram`.

Packages, from the bottom up (a package imports only those above it in this list):

* foundation modules: :mod:`bot.config`, :mod:`bot.db`, :mod:`bot.languages`,
  :mod:`bot.i18n`, :mod:`bot.audit`
* :mod:`bot.text`: normalisation, the folded key, language detection, postings, formats
* :mod:`bot.faq`, :mod:`bot.calendar`, :mod:`bot.candidates`: the FAQ, the election
  calendar, the candidate database
* :mod:`bot.abroad`, :mod:`bot.delivery`: missions abroad; who is messaged and how
* :mod:`bot.content`: the content files (seed data, the whole content as a zip)
* :mod:`bot.admin`, :mod:`bot.conversation`: admins' changes; the conversation core that
  decides every reply to a voter
* :mod:`bot.telegram`: command menus, the in-process Bot API, delivery at Telegram's rates;
  then ``handlers/`` (the aiogram routers); then the wiring that includes them
  (:mod:`bot.telegram.app`, :mod:`bot.telegram.console`)
* :mod:`bot.cli`: ``python -m bot``
"""
