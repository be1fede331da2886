"""The network: MiniLM-L6 encoder, masked mean + max pooling, one sigmoid head per label.

Max pooling sits beside mean pooling so one abusive word in a long friendly
message is not averaged away (mean pooling alone diluted it).
"""
from __future__ import annotations

import torch
from torch import nn


class ToxicityNet(nn.Module):
    def __init__(self, encoder, num_labels: int, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * encoder.config.hidden_size, num_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Return logits [batch, labels]."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        # Padding gets a large negative value (not -inf: keeps ONNX/int8 ranges finite).
        peak = (hidden - (1.0 - mask) * 1e4).amax(1)
        return self.head(self.dropout(torch.cat([mean, peak], dim=-1)))


class ExportWrapper(nn.Module):
    """What model.onnx computes: probabilities, not logits."""

    def __init__(self, net: ToxicityNet):
        super().__init__()
        self.net = net

    def forward(self, input_ids, attention_mask):
        return torch.sigmoid(self.net(input_ids, attention_mask))


def build_model(base_dir, vocab_size: int, num_labels: int, new_token_inits=None) -> ToxicityNet:
    """Load the pretrained encoder, grow its embedding matrix, add the head.

    ``new_token_inits`` maps new token id -> list of existing token ids whose
    mean embedding initialises it (the pinyin of a Chinese character).
    """
    from transformers import BertModel

    encoder = BertModel.from_pretrained(str(base_dir), add_pooling_layer=False)
    old = encoder.get_input_embeddings().weight.data
    old_size = old.shape[0]
    encoder.resize_token_embeddings(vocab_size, mean_resizing=False)
    emb = encoder.get_input_embeddings().weight.data
    mean = old.mean(0)
    g = torch.Generator().manual_seed(0)
    for tok_id in range(old_size, vocab_size):
        src = (new_token_inits or {}).get(tok_id)
        base = old[src].mean(0) if src else mean
        emb[tok_id] = base + 0.02 * torch.randn(old.shape[1], generator=g)
    return ToxicityNet(encoder, num_labels)
