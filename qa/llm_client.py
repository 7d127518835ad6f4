"""The chat model behind COUNCILQA_GENERATOR=llm, through LangChain's chat-model interface:
langchain-openai's ChatOpenAI pointed at any OpenAI-compatible endpoint (Ollama, vLLM,
llama.cpp's server, Azure OpenAI's compatible route, ...).

Imported only when the generator is llm (qa/generate.py imports it on first use), so the
extractive service never loads LangChain; the packages come with the `llm` extra. Every way the
call can fail becomes a ModelUnavailable whose message says what happened, in words a reader's
note can carry."""

from __future__ import annotations

from ..settings import Settings
from .generate import Chat, ModelUnavailable


def langchain_chat(settings: Settings) -> Chat:
    """A (messages) -> reply function over ChatOpenAI, with the settings' timeout, retries,
    token cap and temperature 0 (the same passages give the same answer)."""
    if not settings.llm_model:
        raise ModelUnavailable("COUNCILQA_LLM_MODEL is not set")
    try:
        import openai
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise ModelUnavailable(f"{exc.name} is not installed: pip install 'councilqa[llm]'") from exc
    where = settings.llm_base_url
    model = ChatOpenAI(model=settings.llm_model, base_url=where,
                       # ChatOpenAI insists on a key; a local server ignores it.
                       api_key=settings.llm_api_key or "not-needed",
                       timeout=settings.llm_timeout, max_retries=settings.llm_max_retries,
                       max_tokens=settings.llm_max_tokens, temperature=0)

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}

    def chat(messages: list[tuple[str, str]]) -> str:
        try:
            reply = model.invoke([kinds[role](text) for role, text in messages])
        except openai.APITimeoutError as exc:
            raise ModelUnavailable(f"{where} did not answer within {settings.llm_timeout:g} s") from exc
        except openai.APIConnectionError as exc:
            raise ModelUnavailable(f"{where} could not be reached") from exc
        except openai.APIStatusError as exc:
            raise ModelUnavailable(f"{where} answered with HTTP status {exc.status_code}") from exc
        except (openai.OpenAIError, ValueError, TypeError, KeyError, AttributeError) as exc:
            # A 200 whose body is not a chat completion (a proxy's HTML page, a truncated JSON).
            raise ModelUnavailable(f"{where} sent a reply that is not a chat completion ({type(exc).__name__})") from exc
        content = reply.content if isinstance(reply.content, str) else None
        if not content or not content.strip():
            raise ModelUnavailable(f"{where} sent an empty reply")
        return content

    return chat
